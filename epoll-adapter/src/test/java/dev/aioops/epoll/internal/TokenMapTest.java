package dev.aioops.epoll.internal;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TokenMapTest {

    private static Op op(long token) {
        return new Op(null).init(Op.TIMEOUT, token, -1, null, (r, a) -> { });
    }

    @Test
    void behavesLikeAHashMapUnderRandomInsertsAndRemovals() {
        TokenMap map = new TokenMap();
        Map<Long, Op> model = new HashMap<>();
        SplittableRandom random = new SplittableRandom(42);
        long nextToken = 1;
        for (int step = 0; step < 100_000; step++) {
            if (model.isEmpty() || random.nextInt(10) < 6) {
                // Tokens with a stride collide in the low bits, which exercises the probing and backward shift.
                long token = nextToken++ * (random.nextBoolean() ? 1 : 4096);
                if (model.containsKey(token)) {
                    continue;
                }
                Op op = op(token);
                map.put(op);
                model.put(token, op);
            } else {
                long token = model.keySet().iterator().next();
                if (random.nextBoolean()) {
                    token = model.keySet().stream().skip(random.nextInt(Math.min(model.size(), 16))).findFirst()
                            .orElseThrow();
                }
                map.remove(token);
                model.remove(token);
            }
            if (step % 10_000 == 0) {
                for (Map.Entry<Long, Op> e : model.entrySet()) {
                    assertThat(map.get(e.getKey())).isSameAs(e.getValue());
                }
            }
        }
        assertThat(map.size()).isEqualTo(model.size());
        for (Map.Entry<Long, Op> e : model.entrySet()) {
            assertThat(map.get(e.getKey())).isSameAs(e.getValue());
        }
        assertThat(map.snapshot()).containsExactlyInAnyOrderElementsOf(model.values());
    }

    @Test
    void unknownTokensAndZeroAreAbsent() {
        TokenMap map = new TokenMap();
        map.put(op(7));
        assertThat(map.get(0)).isNull();
        assertThat(map.get(8)).isNull();
        map.remove(8);
        assertThat(map.size()).isEqualTo(1);
        map.remove(7);
        assertThat(map.get(7)).isNull();
        assertThat(map.size()).isZero();
    }
}
