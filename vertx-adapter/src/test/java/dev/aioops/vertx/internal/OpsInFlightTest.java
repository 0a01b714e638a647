package dev.aioops.vertx.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class OpsInFlightTest {

    private static Op op(long token) {
        return new Op(null, Op.Kind.READ, token, (r, a) -> { }, null);
    }

    @Test
    void findsWhatWasPutAndForgetsWhatWasRemoved() {
        OpsInFlight table = new OpsInFlight();
        Op a = op(1);
        Op b = op(2);
        table.put(a);
        table.put(b);
        assertThat(table.get(1)).isSameAs(a);
        assertThat(table.get(2)).isSameAs(b);
        assertThat(table.get(3)).isNull();
        table.remove(1);
        table.remove(7);
        assertThat(table.get(1)).isNull();
        assertThat(table.get(2)).isSameAs(b);
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.toArray()).containsExactly(b);
        table.clear();
        assertThat(table.isEmpty()).isTrue();
        assertThat(table.get(2)).isNull();
    }

    @Test
    void agreesWithAHashMapUnderRandomTraffic() {
        OpsInFlight table = new OpsInFlight();
        Map<Long, Op> model = new HashMap<>();
        SplittableRandom random = new SplittableRandom(42);
        List<Long> inFlight = new ArrayList<>();
        long next = 1;
        for (int step = 0; step < 100_000; step++) {
            if (model.isEmpty() || random.nextInt(100) < 51) {
                Op op = op(next++);
                table.put(op);
                model.put(op.token, op);
                inFlight.add(op.token);
            } else {
                // Remove a token that is in flight, or (sometimes) one that is not.
                long token;
                if (random.nextInt(10) == 0) {
                    token = random.nextLong(1, next + 1);
                } else {
                    int i = random.nextInt(inFlight.size());
                    token = inFlight.get(i);
                }
                inFlight.remove(Long.valueOf(token));
                table.remove(token);
                model.remove(token);
            }
            if (step % 4999 == 0) {
                assertThat(table.size()).isEqualTo(model.size());
                Set<Op> listed = Collections.newSetFromMap(new IdentityHashMap<>());
                listed.addAll(Arrays.asList(table.toArray()));
                assertThat(listed).hasSize(model.size());
                for (Map.Entry<Long, Op> e : model.entrySet()) {
                    if (table.get(e.getKey()) != e.getValue() || !listed.contains(e.getValue())) {
                        throw new AssertionError("token " + e.getKey() + " lost at step " + step);
                    }
                }
            }
        }
        for (long token = 1; token < next; token++) {
            if (table.get(token) != model.get(token)) {
                throw new AssertionError("token " + token + " differs at the end");
            }
        }
    }
}
