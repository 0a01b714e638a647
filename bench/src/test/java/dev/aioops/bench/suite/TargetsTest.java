package dev.aioops.bench.suite;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The report's verdicts on targets, from summaries made by hand (the report is arithmetic over them). */
class TargetsTest {

    private static final Workload CROSS_THREAD = new Workload("cross-thread execute",
            BenchSuite.crossThreadVariant(BenchSuite.CROSS_THREAD_PRODUCERS), Workload.Unit.OPS_PER_SECOND,
            "Netty epoll event loop", List.of());

    @Test
    void aSteadyContenderMeetsTheSpreadTargetAndAnUnsteadyOneMissesIt() {
        Summary steady = summary("aioops uring", 10, 12, 11);
        Summary unsteady = summary("aioops uring", 10, 30, 11);

        assertThat(spreadLine(steady)).endsWith("1.20 — met");
        assertThat(spreadLine(unsteady)).endsWith("3.00 — missed");
    }

    @Test
    void everyTargetOfTheIssuesNamesAWorkloadAndIsReportedAsNotMeasuredWhenItDidNotRun() {
        String table = new Report(List.of(), Targets.all(), "test machine").table();

        for (Target t : Targets.all()) {
            assertThat(table).contains(t.text() + ": not measured in this run");
        }
    }

    private static String spreadLine(Summary uring) {
        String table = new Report(List.of(uring), Targets.all(), "test machine").table();
        return table.lines().filter(l -> l.contains("max ÷ min")).findFirst().orElseThrow();
    }

    private static Summary summary(String contender, double... millionsPerSecond) {
        List<Trial> trials = new java.util.ArrayList<>();
        for (double m : millionsPerSecond) {
            trials.add(new Trial(m * 1e6, 1_000_000_000L, 0, 0, 0));
        }
        return new Summary(CROSS_THREAD, contender, trials, null);
    }
}
