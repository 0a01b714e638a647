package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;

import java.util.Arrays;

/**
 * Completions of operations that finished without reaching the kernel (early errors, listen, eventfd), queued
 * rather than run inside the submitting call: a completion that submits such an operation would otherwise run the
 * next completion inside its own frame, and a long chain would overflow the stack. The loop runs them from its
 * turn, in submission order, in bounded stack. A growable ring of parallel arrays, so that queueing allocates
 * nothing in the steady state. Loop thread only.
 */
final class EarlyCompletions {

    private AioCompletion<Object>[] completions = newCompletions(64);
    private Object[] attachments = new Object[64];
    private int[] results = new int[64];
    private int head;
    private int size;

    @SuppressWarnings("unchecked")
    private static AioCompletion<Object>[] newCompletions(int n) {
        return (AioCompletion<Object>[]) new AioCompletion<?>[n];
    }

    /** Queues a completion to run with {@code result}. */
    void add(AioCompletion<Object> completion, int result, Object attachment) {
        if (size == completions.length) {
            grow();
        }
        int at = (head + size) & (completions.length - 1);
        completions[at] = completion;
        attachments[at] = attachment;
        results[at] = result;
        size++;
    }

    private void grow() {
        int n = completions.length;
        AioCompletion<Object>[] c = newCompletions(n * 2);
        Object[] a = new Object[n * 2];
        int[] r = new int[n * 2];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (n - 1);
            c[i] = completions[from];
            a[i] = attachments[from];
            r[i] = results[from];
        }
        completions = c;
        attachments = a;
        results = r;
        head = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /**
     * Runs the completions queued before this call; those they queue wait for the next call, so that a chain of
     * early completions does not starve the ring.
     *
     * @param loop the loop, whose error handler takes what a completion throws
     * @return how many ran
     */
    int runQueued(UringLoop loop) {
        int n = size;
        for (int i = 0; i < n && size > 0 && !loop.isDone(); i++) {
            int at = head;
            AioCompletion<Object> completion = completions[at];
            Object attachment = attachments[at];
            int result = results[at];
            completions[at] = null;
            attachments[at] = null;
            head = (head + 1) & (completions.length - 1);
            size--;
            loop.invoke(completion, result, attachment);
        }
        return n;
    }

    /** Drops every reference (the instance is closed and the completions have run). */
    void clear() {
        Arrays.fill(completions, null);
        Arrays.fill(attachments, null);
        head = 0;
        size = 0;
    }
}
