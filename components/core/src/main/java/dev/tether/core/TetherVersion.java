package dev.tether.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version of tether, from a resource Maven fills in at build time — unlike a jar manifest's
 * Implementation-Version, it is also there when running from target/classes (./tether, tests).
 */
public final class TetherVersion {
    private static final String VERSION = load();

    private TetherVersion() {}

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = TetherVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
