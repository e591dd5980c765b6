# Richards: the classic operating-system simulation benchmark (Martin
# Richards, BCPL, 1981; via L. Peter Deutsch's Smalltalk version and Mario
# Wolczko's Java translation), with the shape of pyperformance's
# bm_richards: a task table of TaskControlBlock subclasses (IdleTask,
# WorkTask, HandlerTask, DeviceTask), one TaskRecord per task, Packets
# moved between task queues, a global work area counting queued packets
# and holds. Each iteration must end with holds = 9297 and queued
# packets = 23246, the figures of the original.

# Task identities
I_IDLE = 1
I_WORK = 2
I_HANDLERA = 3
I_HANDLERB = 4
I_DEVA = 5
I_DEVB = 6

# Packet kinds
K_DEV = 1000
K_WORK = 1001

BUFSIZE = 4
BUFSIZE_RANGE = range(BUFSIZE)
TASKTABSIZE = 10

ITERATIONS = 16


class Packet(object):
    def __init__(self, link, ident, kind):
        self.link = link
        self.ident = ident
        self.kind = kind
        self.datum = 0
        self.data = [0] * BUFSIZE

    def append_to(self, queue):
        # Put self at the end of the queue that starts at `queue`;
        # return the (possibly new) head.
        self.link = None
        if queue is None:
            return self
        p = queue
        nxt = p.link
        while nxt is not None:
            p = nxt
            nxt = p.link
        p.link = self
        return queue


# Per-task private data

class TaskRecord(object):
    pass


class DeviceTaskRec(TaskRecord):
    def __init__(self):
        self.pending = None


class IdleTaskRec(TaskRecord):
    def __init__(self):
        self.control = 1
        self.count = 10000


class HandlerTaskRec(TaskRecord):
    def __init__(self):
        self.work_in = None
        self.device_in = None

    def work_in_add(self, p):
        self.work_in = p.append_to(self.work_in)
        return self.work_in

    def device_in_add(self, p):
        self.device_in = p.append_to(self.device_in)
        return self.device_in


class WorkerTaskRec(TaskRecord):
    def __init__(self):
        self.destination = I_HANDLERA
        self.count = 0


# Task states: three flags, set together by the builder methods

class TaskState(object):
    def __init__(self):
        self.packet_pending = True
        self.task_waiting = False
        self.task_holding = False

    def packet_pending_state(self):
        self.packet_pending = True
        self.task_waiting = False
        self.task_holding = False
        return self

    def waiting(self):
        self.packet_pending = False
        self.task_waiting = True
        self.task_holding = False
        return self

    def running(self):
        self.packet_pending = False
        self.task_waiting = False
        self.task_holding = False
        return self

    def waiting_with_packet(self):
        self.packet_pending = True
        self.task_waiting = True
        self.task_holding = False
        return self

    def is_packet_pending(self):
        return self.packet_pending

    def is_task_waiting(self):
        return self.task_waiting

    def is_task_holding(self):
        return self.task_holding

    def is_task_holding_or_waiting(self):
        return self.task_holding or (not self.packet_pending and self.task_waiting)

    def is_waiting_with_packet(self):
        return self.packet_pending and self.task_waiting and not self.task_holding


tracing = False
layout = 0


def trace(a):
    global layout
    layout -= 1
    if layout <= 0:
        print()
        layout = 50
    print(a, end="")


class TaskWorkArea(object):
    def __init__(self):
        self.task_tab = [None] * TASKTABSIZE
        self.task_list = None
        self.hold_count = 0
        self.qpkt_count = 0


work_area = TaskWorkArea()


class TaskControlBlock(TaskState):
    def __init__(self, ident, priority, queue, initial_state, record):
        self.link = work_area.task_list
        self.ident = ident
        self.priority = priority
        self.input = queue
        self.packet_pending = initial_state.is_packet_pending()
        self.task_waiting = initial_state.is_task_waiting()
        self.task_holding = initial_state.is_task_holding()
        self.handle = record
        work_area.task_list = self
        work_area.task_tab[ident] = self

    def fn(self, pkt, record):
        raise NotImplementedError

    def add_packet(self, p, old):
        if self.input is None:
            self.input = p
            self.packet_pending = True
            if self.priority > old.priority:
                return self
        else:
            p.append_to(self.input)
        return old

    def run_task(self):
        if self.is_waiting_with_packet():
            msg = self.input
            self.input = msg.link
            if self.input is None:
                self.running()
            else:
                self.packet_pending_state()
        else:
            msg = None
        return self.fn(msg, self.handle)

    def wait_task(self):
        self.task_waiting = True
        return self

    def hold(self):
        work_area.hold_count += 1
        self.task_holding = True
        return self.link

    def release(self, ident):
        t = self.find_tcb(ident)
        t.task_holding = False
        if t.priority > self.priority:
            return t
        return self

    def qpkt(self, pkt):
        t = self.find_tcb(pkt.ident)
        work_area.qpkt_count += 1
        pkt.link = None
        pkt.ident = self.ident
        return t.add_packet(pkt, self)

    def find_tcb(self, ident):
        t = work_area.task_tab[ident]
        if t is None:
            raise Exception("Bad task id %d" % ident)
        return t


class DeviceTask(TaskControlBlock):
    def __init__(self, ident, priority, queue, state, record):
        TaskControlBlock.__init__(self, ident, priority, queue, state, record)

    def fn(self, pkt, record):
        d = record
        assert isinstance(d, DeviceTaskRec)
        if pkt is None:
            pkt = d.pending
            if pkt is None:
                return self.wait_task()
            d.pending = None
            return self.qpkt(pkt)
        d.pending = pkt
        if tracing:
            trace(pkt.datum)
        return self.hold()


class HandlerTask(TaskControlBlock):
    def __init__(self, ident, priority, queue, state, record):
        TaskControlBlock.__init__(self, ident, priority, queue, state, record)

    def fn(self, pkt, record):
        h = record
        assert isinstance(h, HandlerTaskRec)
        if pkt is not None:
            if pkt.kind == K_WORK:
                h.work_in_add(pkt)
            else:
                h.device_in_add(pkt)
        work = h.work_in
        if work is None:
            return self.wait_task()
        count = work.datum
        if count >= BUFSIZE:
            h.work_in = work.link
            return self.qpkt(work)
        dev = h.device_in
        if dev is None:
            return self.wait_task()
        h.device_in = dev.link
        dev.datum = work.data[count]
        work.datum = count + 1
        return self.qpkt(dev)


class IdleTask(TaskControlBlock):
    def __init__(self, ident, priority, queue, state, record):
        TaskControlBlock.__init__(self, ident, 0, None, state, record)

    def fn(self, pkt, record):
        i = record
        assert isinstance(i, IdleTaskRec)
        i.count -= 1
        if i.count == 0:
            return self.hold()
        elif i.control & 1 == 0:
            i.control //= 2
            return self.release(I_DEVA)
        else:
            i.control = i.control // 2 ^ 0xD008
            return self.release(I_DEVB)


A = ord("A")


class WorkTask(TaskControlBlock):
    def __init__(self, ident, priority, queue, state, record):
        TaskControlBlock.__init__(self, ident, priority, queue, state, record)

    def fn(self, pkt, record):
        w = record
        assert isinstance(w, WorkerTaskRec)
        if pkt is None:
            return self.wait_task()
        if w.destination == I_HANDLERA:
            dest = I_HANDLERB
        else:
            dest = I_HANDLERA
        w.destination = dest
        pkt.ident = dest
        pkt.datum = 0
        for i in BUFSIZE_RANGE:
            w.count += 1
            if w.count > 26:
                w.count = 1
            pkt.data[i] = A + w.count - 1
        return self.qpkt(pkt)


def schedule():
    t = work_area.task_list
    while t is not None:
        if tracing:
            print("tcb =", t.ident)
        if t.is_task_holding_or_waiting():
            t = t.link
        else:
            if tracing:
                trace(chr(ord("0") + t.ident))
            t = t.run_task()


class Richards(object):
    def run(self, iterations):
        ok = 0
        for i in range(iterations):
            work_area.hold_count = 0
            work_area.qpkt_count = 0
            work_area.task_list = None

            IdleTask(I_IDLE, 1, 10000, TaskState().running(), IdleTaskRec())

            wkq = Packet(None, 0, K_WORK)
            wkq = Packet(wkq, 0, K_WORK)
            WorkTask(I_WORK, 1000, wkq, TaskState().waiting_with_packet(), WorkerTaskRec())

            wkq = Packet(None, I_DEVA, K_DEV)
            wkq = Packet(wkq, I_DEVA, K_DEV)
            wkq = Packet(wkq, I_DEVA, K_DEV)
            HandlerTask(I_HANDLERA, 2000, wkq, TaskState().waiting_with_packet(),
                        HandlerTaskRec())

            wkq = Packet(None, I_DEVB, K_DEV)
            wkq = Packet(wkq, I_DEVB, K_DEV)
            wkq = Packet(wkq, I_DEVB, K_DEV)
            HandlerTask(I_HANDLERB, 3000, wkq, TaskState().waiting_with_packet(),
                        HandlerTaskRec())

            wkq = None
            DeviceTask(I_DEVA, 4000, wkq, TaskState().waiting(), DeviceTaskRec())
            DeviceTask(I_DEVB, 5000, wkq, TaskState().waiting(), DeviceTaskRec())

            schedule()

            if work_area.hold_count == 9297 and work_area.qpkt_count == 23246:
                ok += 1
            else:
                print("iteration", i, "wrong:", work_area.hold_count, work_area.qpkt_count)
        return ok


def main():
    r = Richards()
    ok = r.run(ITERATIONS)
    print("iterations ok:", ok, "of", ITERATIONS)
    print("last holds:", work_area.hold_count, "queued packets:", work_area.qpkt_count)
    t = work_area.task_list
    idents = []
    while t is not None:
        idents.append((t.ident, t.priority, t.task_holding, t.task_waiting,
                       t.packet_pending))
        t = t.link
    print("task list:", idents)
    try:
        work_area.task_list.find_tcb(0)
    except Exception as e:
        print("bad lookup:", e)


main()
