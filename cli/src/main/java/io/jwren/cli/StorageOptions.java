package io.jwren.cli;

import io.jwren.Config;
import io.jwren.engine.EngineSettings;
import io.jwren.engine.protocol.ObjectSigner;
import io.jwren.spi.Providers;
import io.jwren.spi.Storage;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --storage} and {@code -D key=value}: which storage a command looks at, through the usual config chain. */
final class StorageOptions {
    @Option(names = "--storage", paramLabel = "URI",
            description = "Storage to look at, e.g. s3://bucket/prefix (default: jwren.storage from the config chain).")
    String storage;

    @Option(names = "-D", paramLabel = "KEY=VALUE", description = "Set a jwren.* key, as -Djwren.s3.endpoint=...")
    Map<String, String> properties = new LinkedHashMap<>();

    Config config() {
        Map<String, String> explicit = new LinkedHashMap<>(properties);
        if (storage != null) explicit.put("jwren.storage", storage);
        return Config.resolve(explicit, "command line");
    }

    /** The signer of {@code jwren.signing-key}, which checks signed jobs' manifests and results; null when unset. */
    ObjectSigner signer() {
        String key = config().get(EngineSettings.SIGNING_KEY);
        return key == null || key.isBlank() ? null : ObjectSigner.fromBase64(EngineSettings.SIGNING_KEY, key);
    }

    Storage open() {
        Config config = config();
        return Providers.storage(config.get("jwren.storage"), config);
    }
}
