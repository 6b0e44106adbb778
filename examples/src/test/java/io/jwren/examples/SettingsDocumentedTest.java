package io.jwren.examples;

import io.jwren.spi.Setting;
import io.jwren.spi.Settings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** With every module on the class path: the README's key tables name exactly the keys the registry declares. */
class SettingsDocumentedTest {
    private static final Pattern KEY = Pattern.compile("`(jwren\\.[a-z0-9.-]+)`");

    @Test
    void theReadmeTablesListEveryDeclaredKeyAndNoOther() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("..", "README.md"))) {
            if (!line.startsWith("| `jwren.")) continue;
            String firstCell = line.substring(1, line.indexOf('|', 1));
            Matcher m = KEY.matcher(firstCell);
            while (m.find()) documented.add(m.group(1));
        }
        assertEquals(new TreeSet<>(Settings.declared().keySet()), documented);
    }

    @Test
    void everyKeyOfEveryModuleMapsToItsOwnEnvironmentName() {
        for (Setting s : Settings.declared().values()) assertEquals(s.key(), Settings.keyForEnv(s.envName()));
    }
}
