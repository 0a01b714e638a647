package dev.aioops.epoll.internal;

/**
 * A FIFO of operations waiting on one resource (reads, writes, accepts, pool work), linked through the
 * operations themselves so that adding, taking and removing a cancelled one allocate nothing. Loop-confined.
 */
final class OpList {

    private Op head;
    private Op tail;
    private int size;

    boolean isEmpty() {
        return head == null;
    }

    int size() {
        return size;
    }

    Op peek() {
        return head;
    }

    void add(Op op) {
        op.list = this;
        op.prev = tail;
        op.next = null;
        if (tail == null) {
            head = op;
        } else {
            tail.next = op;
        }
        tail = op;
        size++;
    }

    Op poll() {
        Op op = head;
        if (op != null) {
            remove(op);
        }
        return op;
    }

    void remove(Op op) {
        if (op.list != this) {
            return;
        }
        if (op.prev == null) {
            head = op.next;
        } else {
            op.prev.next = op.next;
        }
        if (op.next == null) {
            tail = op.prev;
        } else {
            op.next.prev = op.prev;
        }
        op.prev = null;
        op.next = null;
        op.list = null;
        size--;
    }
}
