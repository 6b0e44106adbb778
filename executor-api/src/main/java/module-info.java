/**
 * jwren's public API ({@code io.jwren}) and its SPI for backends, storages and the engine ({@code io.jwren.spi}).
 * Implementations are found through {@link java.util.ServiceLoader}; this module depends on nothing but the JDK.
 */
module io.jwren {
    exports io.jwren;
    exports io.jwren.spi;

    // TimelinePlot draws PNGs; optional so that headless and jlinked applications need not include it
    requires static java.desktop;

    uses io.jwren.spi.EngineProvider;
    uses io.jwren.spi.BackendProvider;
    uses io.jwren.spi.StorageProvider;
}
