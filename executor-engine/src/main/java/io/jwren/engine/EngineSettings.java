package io.jwren.engine;

import io.jwren.spi.Setting;
import io.jwren.spi.Setting.Kind;
import io.jwren.spi.SettingsProvider;

import java.util.List;

/** The settings the engine reads beyond the API's own. */
public final class EngineSettings implements SettingsProvider {
    static final String RETENTION = "jwren.retention";
    /** The key jobs are signed with, shared between executors; secret, never forwarded in clear. */
    public static final String SIGNING_KEY = "jwren.signing-key";

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("jwren.timeout-grace", Kind.DURATION, null,
                        "how long after jwren.timeout a silent invocation counts as lost (default: the backend's)"),
                Setting.of(RETENTION, Kind.DURATION, "PT24H", "finished jobs older than this, and class bundles no job "
                        + "uses, are removed from storage when an executor first uses it; 0s keeps everything"),
                Setting.of(SIGNING_KEY, Kind.TEXT, null, "base64 key (32 bytes or more) that signs every job object; "
                        + "set the same one where a job is submitted and where it is attached to (default: a random "
                        + "key per executor)").markedSecret(),
                Setting.of(ProgressBar.KEY, Kind.TEXT, "auto", "progress bar on the terminal: auto, always or never"),
                Setting.of("jwren.worker.cache", Kind.PATH, null,
                        "where a worker keeps class bundles it downloaded (default: jwren-cache in its temp directory)")
                        .forwardedToWorkers());
    }
}
