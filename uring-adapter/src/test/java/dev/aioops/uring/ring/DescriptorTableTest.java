package dev.aioops.uring.ring;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The packing of {@link DescriptorTable}: generations, their wrap-around, the descriptor limit. */
class DescriptorTableTest {

    private static final class Fd extends DescriptorTable.Entry {
        Fd(int fd, int handle) {
            super(fd, handle);
        }
    }

    private static Fd adopt(DescriptorTable<Fd> table, int fd) {
        return table.put(new Fd(fd, table.newHandle(fd)));
    }

    @Test
    void aHandleCarriesItsDescriptorAndIsNeverTheBareDescriptor() {
        DescriptorTable<Fd> table = new DescriptorTable<>();
        Fd e = adopt(table, 5);
        assertThat(e.handle & DescriptorTable.MAX_FD).isEqualTo(5);
        assertThat(e.handle).isGreaterThan(DescriptorTable.MAX_FD);
        assertThat(table.get(e.handle)).isSameAs(e);
        assertThat(table.get(5)).as("a bare descriptor").isNull();
        assertThat(table.get(-1)).isNull();
        assertThat(table.get(Integer.MIN_VALUE | e.handle)).isNull();
    }

    @Test
    void aReusedDescriptorGetsANewHandleAndTheOldOneIsUnknown() {
        DescriptorTable<Fd> table = new DescriptorTable<>();
        Fd old = adopt(table, 3);
        assertThat(table.remove(old.handle)).isSameAs(old);
        assertThat(table.get(old.handle)).isNull();
        assertThat(table.remove(old.handle)).isNull();
        Fd fresh = adopt(table, 3);
        assertThat(fresh.handle).isNotEqualTo(old.handle);
        assertThat(table.get(old.handle)).isNull();
        assertThat(table.get(fresh.handle)).isSameAs(fresh);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void generationsWrapAroundAfterAllOfThemWereUsedAndStayNonNegative() {
        DescriptorTable<Fd> table = new DescriptorTable<>();
        Set<Integer> seen = new HashSet<>();
        int first = -1;
        for (int i = 0; i < DescriptorTable.GENERATIONS; i++) {
            int h = table.newHandle(DescriptorTable.MAX_FD);
            assertThat(h).isPositive();
            assertThat(seen.add(h)).as("generation %d repeats early", i).isTrue();
            first = i == 0 ? h : first;
        }
        assertThat(table.newHandle(DescriptorTable.MAX_FD)).as("the documented wrap-around").isEqualTo(first);
    }

    @Test
    void aDescriptorAboveTheLimitGetsNoHandle() {
        DescriptorTable<Fd> table = new DescriptorTable<>();
        assertThat(table.newHandle(DescriptorTable.MAX_FD + 1)).isEqualTo(-1);
        assertThat(table.newHandle(-1)).isEqualTo(-1);
        Fd top = adopt(table, DescriptorTable.MAX_FD);
        assertThat(table.get(top.handle)).isSameAs(top);
    }

    @Test
    void tablesStartTheirGenerationsApart() {
        DescriptorTable<Fd> a = new DescriptorTable<>();
        DescriptorTable<Fd> b = new DescriptorTable<>();
        Fd inA = adopt(a, 7);
        assertThat(b.newHandle(7)).isNotEqualTo(inA.handle);
        assertThat(b.get(inA.handle)).isNull();
    }

    @Test
    void forEachMayRemoveAndClearForgetsAll() {
        DescriptorTable<Fd> table = new DescriptorTable<>();
        for (int fd = 0; fd < 200; fd += 3) {
            adopt(table, fd);
        }
        int[] visited = {0};
        table.forEach(e -> {
            visited[0]++;
            if (e.fd % 2 == 0) {
                table.remove(e.handle);
            }
        });
        assertThat(visited[0]).isEqualTo(67);
        assertThat(table.entries()).allSatisfy(e -> assertThat(e.fd % 2).isOne());
        assertThat(table.size()).isEqualTo(table.entries().size());
        Fd any = table.entries().get(0);
        table.clear();
        assertThat(table.size()).isZero();
        assertThat(table.get(any.handle)).isNull();
    }
}
