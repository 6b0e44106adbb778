package io.jwren.local;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Looks for credentials in what a job leaves behind. It searches for every 8-character piece of each
 * credential, not only the whole string, so a truncated or masked copy is found, and so is one whose
 * last character an encoding changed (Kryo marks the end of an ASCII string in its last byte) or one
 * whose '+' or '/' was URL-encoded. Bytes are searched as they are, so binary objects count too.
 */
final class CredentialScan {
    static final int PIECE = 8;

    private CredentialScan() {}

    /** One line per credential found in {@code content}, saying where and which piece; empty if none. */
    static List<String> findings(String where, byte[] content, Collection<String> credentials) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        List<String> found = new ArrayList<>();
        for (String credential : credentials) {
            for (int i = 0; i + Math.min(PIECE, credential.length()) <= credential.length(); i++) {
                String piece = credential.substring(i, i + Math.min(PIECE, credential.length()));
                if (text.contains(piece)) {
                    found.add(where + " holds '" + piece + "' of a credential");
                    break;
                }
            }
        }
        return found;
    }

    static List<String> findings(String where, String text, Collection<String> credentials) {
        return findings(where, text.getBytes(StandardCharsets.UTF_8), credentials);
    }

    /** The printed stack trace: the messages of the exception, its causes and suppressed ones, and their frames. */
    static String everything(Throwable t) {
        StringWriter printed = new StringWriter();
        t.printStackTrace(new PrintWriter(printed));
        return printed.toString();
    }
}
