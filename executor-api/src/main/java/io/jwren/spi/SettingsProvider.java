package io.jwren.spi;

import java.util.List;

/**
 * The settings a module reads, declared once. Found through {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.jwren.spi.SettingsProvider}. The engine, each storage and each backend has one.
 */
public interface SettingsProvider {
    /** {@return the settings this module reads; each key once} */
    List<Setting> settings();
}
