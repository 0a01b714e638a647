package dev.aioops.epoll.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class HandleTableTest {

    @Test
    void aReusedSlotGetsANewHandleAndTheOldOneIsUnknown() {
        HandleTable table = new HandleTable(1);
        EventfdResource first = new EventfdResource(0);
        int h1 = table.add(first);
        assertThat(table.get(h1)).isSameAs(first);
        assertThat(table.remove(h1)).isSameAs(first);
        EventfdResource second = new EventfdResource(0);
        int h2 = table.add(second);
        assertThat(h2).isNotEqualTo(h1);
        assertThat(h2 & 0xfffff).as("same slot").isEqualTo(h1 & 0xfffff);
        assertThat(table.get(h1)).isNull();
        assertThat(table.remove(h1)).isNull();
        assertThat(table.get(h2)).isSameAs(second);
    }

    @Test
    void growsAndKeepsEveryHandleDistinctAndPositive() {
        HandleTable table = new HandleTable(1);
        Set<Integer> handles = new HashSet<>();
        List<EventfdResource> resources = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            EventfdResource r = new EventfdResource(i);
            int h = table.add(r);
            assertThat(h).isPositive();
            handles.add(h);
            resources.add(r);
        }
        assertThat(handles).hasSize(1000);
        assertThat(table.all()).containsExactlyInAnyOrderElementsOf(resources);
        for (EventfdResource r : resources) {
            assertThat(table.get(r.handle)).isSameAs(r);
        }
    }

    @Test
    void negativeAndOutOfRangeHandlesAreUnknown() {
        HandleTable table = new HandleTable(1);
        assertThat(table.get(-1)).isNull();
        assertThat(table.get(Integer.MIN_VALUE)).isNull();
        assertThat(table.get(0xfffff)).isNull();
        assertThat(table.get(0)).isNull();
    }
}
