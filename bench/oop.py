# Method calls on objects: a richards/deltablue-lite scheduler with
# tasks, packets and queues; classes with inheritance, super(),
# attribute updates, __str__/__repr__/__eq__/__hash__/__len__.

class Packet:
    def __init__(self, link, ident, kind):
        self.link = link
        self.ident = ident
        self.kind = kind
        self.datum = 0
        self.data = [0, 0, 0, 0]

    def append_to(self, lst):
        self.link = None
        if lst is None:
            return self
        p = lst
        while p.link is not None:
            p = p.link
        p.link = self
        return lst


class Task:
    def __init__(self, ident, priority, scheduler):
        self.ident = ident
        self.priority = priority
        self.scheduler = scheduler
        self.queue = None
        self.runs = 0
        self.held = False

    def enqueue(self, packet):
        self.queue = packet.append_to(self.queue)

    def take(self):
        p = self.queue
        if p is not None:
            self.queue = p.link
        return p

    def step(self):
        self.runs += 1
        return self.work()

    def work(self):
        return 0


class WorkerTask(Task):
    def __init__(self, ident, priority, scheduler):
        super().__init__(ident, priority, scheduler)
        self.dest = 1
        self.count = 0

    def work(self):
        p = self.take()
        if p is None:
            return 0
        self.dest = 3 - self.dest
        p.ident = self.dest
        p.datum = 0
        for i in range(4):
            self.count += 1
            if self.count > 26:
                self.count = 1
            p.data[i] = self.count
        self.scheduler.send(p, self.dest)
        return 1


class HandlerTask(Task):
    def __init__(self, ident, priority, scheduler):
        super().__init__(ident, priority, scheduler)
        self.processed = 0

    def work(self):
        p = self.take()
        if p is None:
            return 0
        self.processed += sum(p.data) + p.datum
        p.datum += 1
        self.scheduler.send(p, 0)
        return 1


class IdleTask(Task):
    def __init__(self, ident, priority, scheduler, seed):
        super().__init__(ident, priority, scheduler)
        self.seed = seed

    def work(self):
        self.seed = (self.seed * 69069 + 1) & 0xFFFF
        if self.seed & 1:
            self.scheduler.tasks[1].held = not self.scheduler.tasks[1].held
        return 0


class Scheduler:
    def __init__(self):
        self.tasks = []
        self.sent = 0
        self.log = []

    def add(self, task):
        self.tasks.append(task)

    def send(self, packet, dest):
        self.sent += 1
        self.tasks[dest].enqueue(packet)

    def run(self, rounds):
        done = 0
        for r in range(rounds):
            for t in self.tasks:
                if t.held:
                    continue
                done += t.step()
        return done


class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def add(self, other):
        return Vec(self.x + other.x, self.y + other.y)

    def scale(self, k):
        return Vec(self.x * k, self.y * k)

    def dot(self, other):
        return self.x * other.x + self.y * other.y

    def __eq__(self, other):
        return isinstance(other, Vec) and self.x == other.x and self.y == other.y

    def __hash__(self):
        return hash((self.x, self.y))

    def __repr__(self):
        return f"Vec({self.x}, {self.y})"


class Stack:
    def __init__(self):
        self.items = []

    def push(self, v):
        self.items.append(v)

    def pop(self):
        return self.items.pop()

    def __len__(self):
        return len(self.items)

    def __str__(self):
        return "Stack(" + str(len(self.items)) + ")"


sched = Scheduler()
sched.add(WorkerTask(0, 10, sched))
sched.add(HandlerTask(1, 20, sched))
sched.add(HandlerTask(2, 30, sched))
sched.add(IdleTask(3, 1, sched, 1234))
for i in range(6):
    sched.tasks[0].enqueue(Packet(None, 0, i % 2))
done = sched.run(90000)
print("richards", done, sched.sent, [t.runs for t in sched.tasks])
print("processed", sched.tasks[1].processed, sched.tasks[2].processed)

acc = Vec(0, 0)
seen = set()
for i in range(100000):
    v = Vec(i % 13 - 6, i % 7 - 3)
    acc = acc.add(v.scale(2))
    if acc.dot(v) > 0:
        seen.add(Vec(v.x, v.y))
print("vec", acc, len(seen), Vec(1, 2) == Vec(1, 2), Vec(1, 2) in seen)

st = Stack()
total = 0
for i in range(150000):
    st.push(i)
    if i % 3 == 2:
        total += st.pop() - st.pop()
print(st, len(st), total)
