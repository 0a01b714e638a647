package dev.aioops.soak;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A snapshot of where this JVM's memory is, for the idle-connection measurement: live bytes per heap class (the
 * class histogram after a full GC) and committed bytes per NMT category. Two snapshots give the growth per
 * connection, largest first.
 */
final class MemoryBreakdown {

    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)",
            Pattern.MULTILINE);
    private static final Pattern NMT_CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB",
            Pattern.MULTILINE);
    private static final int SHOWN = 15;

    private final Map<String, Long> heapByClass;
    private final Map<String, Long> nativeByCategory;

    private MemoryBreakdown(Map<String, Long> heapByClass, Map<String, Long> nativeByCategory) {
        this.heapByClass = heapByClass;
        this.nativeByCategory = nativeByCategory;
    }

    /** Takes a snapshot (the histogram forces a full GC first). */
    static MemoryBreakdown take() throws Exception {
        return new MemoryBreakdown(parse(command("gcClassHistogram", new String[0]), HISTOGRAM_ROW),
                parse(command("vmNativeMemory", new String[] {"summary"}), NMT_CATEGORY, 1024));
    }

    /** What grew from this snapshot to {@code later}, per connection: the largest heap classes and NMT categories. */
    String growth(MemoryBreakdown later, int connections) {
        return "  heap classes, bytes per connection:\n" + top(heapByClass, later.heapByClass, connections)
                + "  native (NMT categories), bytes per connection:\n"
                + top(nativeByCategory, later.nativeByCategory, connections);
    }

    private static String top(Map<String, Long> before, Map<String, Long> after, int connections) {
        StringBuilder out = new StringBuilder();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(SHOWN)
                .forEach(e -> out.append(String.format(Locale.ROOT, "    %,8.0f  %s%n",
                        (double) e.getValue() / connections, e.getKey())));
        return out.toString();
    }

    private static String command(String name, String[] arguments) throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), name, new Object[] {arguments},
                new String[] {String[].class.getName()});
    }

    private static Map<String, Long> parse(String text, Pattern row) {
        return parse(text, row, 1);
    }

    private static Map<String, Long> parse(String text, Pattern row, long unit) {
        Map<String, Long> values = new HashMap<>();
        Matcher m = row.matcher(text);
        while (m.find()) {
            String key = row == HISTOGRAM_ROW ? m.group(2) : m.group(1);
            long value = Long.parseLong(row == HISTOGRAM_ROW ? m.group(1) : m.group(2)) * unit;
            values.merge(key, value, Long::sum);
        }
        return values;
    }
}
