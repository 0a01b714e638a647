package dev.aioops.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code results.csv}: every trial of a run, one row each, and one row per skipped contender (repetition 0, with the
 * reason). Written by {@link Report}; read back here so that the summary and charts can be redrawn from the data
 * without running the suite again ({@code BenchSuite report DIR}).
 */
final class ResultsCsv {

    /** The columns of the first versions, still read: their trials counted no wake-ups. */
    static final String HEADER_V1 = "workload,variant,baseline,contender,repetition,unit,work,wall_ns,user_cpu_ns,"
            + "system_cpu_ns,throughput,check,note";
    /** Wake-up syscalls and loop sleeps appended, -1 where not counted. */
    static final String HEADER = HEADER_V1 + ",wakeups,loop_sleeps";

    private ResultsCsv() {
    }

    static String write(List<Summary> summaries) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (Summary s : summaries) {
            Workload w = s.workload();
            String prefix = String.format(Locale.ROOT, "%s,%s,%s,%s", quote(w.name()), quote(w.variant()),
                    quote(w.baseline()), quote(s.contender()));
            if (!s.ran()) {
                out.append(String.format(Locale.ROOT, "%s,0,%s,0,0,0,0,0,0,%s,%d,%d%n", prefix, w.unit().label,
                        quote(s.skipped()), Trial.NOT_COUNTED, Trial.NOT_COUNTED));
                continue;
            }
            for (int i = 0; i < s.trials().size(); i++) {
                Trial t = s.trials().get(i);
                out.append(String.format(Locale.ROOT, "%s,%d,%s,%.0f,%d,%d,%d,%.3f,%d,,%d,%d%n", prefix, i + 1,
                        w.unit().label, t.work(), t.wallNanos(), t.userNanos(), t.systemNanos(),
                        t.perSecond() / w.unit().scale, t.check(), t.wakeups(), t.loopSleeps()));
            }
        }
        return out.toString();
    }

    static List<Summary> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty() || !(lines.getFirst().equals(HEADER) || lines.getFirst().equals(HEADER_V1))) {
            throw new IOException(csv + " is not a results file of this version (header " + HEADER + ")");
        }
        Map<String, Workload> workloads = new LinkedHashMap<>();
        Map<String, List<Trial>> trials = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = fields(line);
            String key = f.get(0) + " / " + f.get(1);
            Workload w = workloads.computeIfAbsent(key, k -> new Workload(f.get(0), f.get(1), unit(f.get(5)),
                    f.get(2), List.of()));
            String contender = key + " / " + f.get(3);
            List<Trial> list = trials.computeIfAbsent(contender, k -> new ArrayList<>());
            if (f.get(4).equals("0")) {
                skipped.put(contender, f.get(12));
            } else {
                boolean counted = f.size() > 14;
                list.add(new Trial(Double.parseDouble(f.get(6)), Long.parseLong(f.get(7)), Long.parseLong(f.get(8)),
                        Long.parseLong(f.get(9)), Long.parseLong(f.get(11)),
                        counted ? Long.parseLong(f.get(13)) : Trial.NOT_COUNTED,
                        counted ? Long.parseLong(f.get(14)) : Trial.NOT_COUNTED));
            }
        }
        List<Summary> summaries = new ArrayList<>();
        for (Map.Entry<String, List<Trial>> e : trials.entrySet()) {
            String contender = e.getKey();
            String workloadKey = contender.substring(0, contender.lastIndexOf(" / "));
            summaries.add(new Summary(workloads.get(workloadKey), contender.substring(workloadKey.length() + 3),
                    e.getValue(), skipped.get(contender)));
        }
        return summaries;
    }

    private static Workload.Unit unit(String label) {
        for (Workload.Unit u : Workload.Unit.values()) {
            if (u.label.equals(label)) {
                return u;
            }
        }
        throw new IllegalArgumentException("unknown unit " + label);
    }

    private static String quote(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** Splits one CSV line; fields may be quoted, with doubled quotes inside. */
    private static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
