# Attribute-heavy objects: a record class with many instance attributes
# read and written in hot loops, @property getters and setters (with
# validation), class attributes shadowed by instance attributes, class
# counters updated through the class, getattr/setattr/hasattr with
# constant and computed names, isinstance checks across a small
# hierarchy, and a small raytracer (Vector/Ray/Sphere/Plane/Light objects
# with vector-math methods, in the spirit of pyperformance's raytrace).
# Prints counts and checksums.

PARTICLES = 2000
STEPS = 240
WIDTH = 120
HEIGHT = 72
ROUNDS = 5


class Particle:
    GRAVITY = -9.8
    DRAG = 0.99
    created = 0

    def __init__(self, ident, x, y, vx, vy):
        self.ident = ident
        self.x = x
        self.y = y
        self.vx = vx
        self.vy = vy
        self.ax = 0.0
        self.ay = 0.0
        self.mass = 1.0 + (ident % 5) * 0.25
        self.bounces = 0
        self.alive = True
        self.age = 0
        self.tag = "p%d" % ident
        Particle.created += 1

    def step(self, dt):
        self.ay = self.GRAVITY / self.mass
        self.vx = (self.vx + self.ax * dt) * self.DRAG
        self.vy = (self.vy + self.ay * dt) * self.DRAG
        self.x += self.vx * dt
        self.y += self.vy * dt
        if self.y < 0.0:
            self.y = -self.y
            self.vy = -self.vy
            self.bounces += 1
        self.age += 1


class HeavyParticle(Particle):
    GRAVITY = -20.0

    def __init__(self, ident, x, y, vx, vy):
        super().__init__(ident, x, y, vx, vy)
        self.mass *= 4


class Account:
    rate = 3
    accounts = 0

    def __init__(self, owner, balance):
        self.owner = owner
        self._balance = balance
        self._history = 0
        Account.accounts += 1

    @property
    def balance(self):
        return self._balance

    @balance.setter
    def balance(self, value):
        if value < 0:
            raise ValueError("negative balance")
        self._history += 1
        self._balance = value

    @property
    def history(self):
        return self._history

    @property
    def interest(self):
        return self._balance * self.rate // 100


class Settings:
    pass


class Shape:
    kind = "shape"

    def area(self):
        return 0


class Rect(Shape):
    kind = "rect"

    def __init__(self, w, h):
        self.w = w
        self.h = h

    def area(self):
        return self.w * self.h


class Square(Rect):
    kind = "square"

    def __init__(self, s):
        super().__init__(s, s)


class Circle(Shape):
    kind = "circle"

    def __init__(self, r):
        self.r = r

    def area(self):
        return 3 * self.r * self.r


# --- a small raytracer ---

class Vector:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def dot(self, other):
        return self.x * other.x + self.y * other.y + self.z * other.z

    def magnitude(self):
        return self.dot(self) ** 0.5

    def add(self, other):
        return Vector(self.x + other.x, self.y + other.y, self.z + other.z)

    def sub(self, other):
        return Vector(self.x - other.x, self.y - other.y, self.z - other.z)

    def scale(self, k):
        return Vector(self.x * k, self.y * k, self.z * k)

    def normalized(self):
        return self.scale(1.0 / self.magnitude())

    def reflect_through(self, normal):
        d = normal.scale(self.dot(normal))
        return self.sub(d.scale(2))


Vector.ZERO = Vector(0.0, 0.0, 0.0)
Vector.UP = Vector(0.0, 1.0, 0.0)


class Ray:
    def __init__(self, point, vector):
        self.point = point
        self.vector = vector.normalized()

    def point_at(self, t):
        return self.point.add(self.vector.scale(t))


class Sphere:
    def __init__(self, centre, radius):
        self.centre = centre
        self.radius = radius

    def intersection_time(self, ray):
        cp = self.centre.sub(ray.point)
        v = cp.dot(ray.vector)
        discriminant = self.radius * self.radius - (cp.dot(cp) - v * v)
        if discriminant < 0:
            return None
        return v - discriminant ** 0.5

    def normal_at(self, p):
        return p.sub(self.centre).normalized()


class Halfspace:
    def __init__(self, point, normal):
        self.point = point
        self.normal = normal.normalized()

    def intersection_time(self, ray):
        v = ray.vector.dot(self.normal)
        if v:
            return self.point.sub(ray.point).dot(self.normal) / v
        return None

    def normal_at(self, p):
        return self.normal


class Light:
    def __init__(self, position, strength):
        self.position = position
        self.strength = strength


class Scene:
    def __init__(self):
        self.objects = []
        self.lights = []
        self.eye = Vector(0.0, 1.8, 10.0)
        self.hits = 0
        self.misses = 0

    def add(self, obj):
        self.objects.append(obj)

    def nearest(self, ray):
        best_t = None
        best = None
        for obj in self.objects:
            t = obj.intersection_time(ray)
            if t is not None and t > 0.0001 and (best_t is None or t < best_t):
                best_t = t
                best = obj
        return best, best_t

    def shade(self, ray, depth):
        obj, t = self.nearest(ray)
        if obj is None:
            self.misses += 1
            return 0.0
        self.hits += 1
        p = ray.point_at(t)
        normal = obj.normal_at(p)
        level = 0.1
        for light in self.lights:
            to_light = light.position.sub(p)
            lray = Ray(p, to_light)
            blocker, bt = self.nearest(lray)
            if blocker is None or bt > to_light.magnitude():
                c = lray.vector.dot(normal)
                if c > 0:
                    level += c * light.strength
        if depth > 0 and isinstance(obj, Sphere):
            reflected = Ray(p, ray.vector.reflect_through(normal))
            level += 0.3 * self.shade(reflected, depth - 1)
        return level

    def render(self, width, height):
        total = 0.0
        rows = []
        for y in range(height):
            row = []
            for x in range(width):
                fx = (x - width / 2) / width * 4.0
                fy = (height / 2 - y) / height * 3.0
                target = Vector(fx, fy + 1.0, 0.0)
                ray = Ray(self.eye, target.sub(self.eye))
                level = self.shade(ray, 2)
                total += level
                row.append(" .:-=+*#%@"[min(9, int(level * 6))])
            rows.append("".join(row))
        return total, rows


def lcg(x):
    return (x * 1103515245 + 12345) & 0x7FFFFFFF


def run_particles():
    seed = 17
    ps = []
    for i in range(PARTICLES):
        seed = lcg(seed)
        vx = (seed % 200 - 100) / 50.0
        seed = lcg(seed)
        vy = (seed % 200) / 40.0
        if i % 7 == 0:
            ps.append(HeavyParticle(i, 0.0, 2.0, vx, vy))
        else:
            ps.append(Particle(i, 0.0, 2.0, vx, vy))
    for s in range(STEPS):
        for p in ps:
            p.step(0.1)
            if p.age > 150 and p.bounces > 20:
                p.alive = False
    bounces = sum(p.bounces for p in ps)
    alive = sum(1 for p in ps if p.alive)
    heavy = sum(1 for p in ps if isinstance(p, HeavyParticle))
    xs = sum(p.x for p in ps)
    print("particles:", Particle.created, "bounces:", bounces, "alive:", alive,
          "heavy:", heavy, "x sum: %.6f" % xs, ps[7].tag, ps[7].mass)


def run_accounts():
    accounts = [Account("owner%d" % i, 100 + i) for i in range(50)]
    errors = 0
    seed = 5
    for rnd in range(600 * ROUNDS):
        for a in accounts:
            seed = lcg(seed)
            delta = seed % 41 - 22
            try:
                a.balance = a.balance + delta
            except ValueError:
                errors += 1
        if rnd == 300 * ROUNDS:
            accounts[0].rate = 10
    total = sum(a.balance for a in accounts)
    interest = sum(a.interest for a in accounts)
    hist = sum(a.history for a in accounts)
    print("accounts:", Account.accounts, "total:", total, "interest:", interest,
          "updates:", hist, "errors:", errors, "rates:", accounts[0].rate, accounts[1].rate,
          Account.rate)


def run_dynamic():
    names = ["alpha", "beta", "gamma", "delta", "eps"]
    s = Settings()
    count = 0
    for i in range(20000 * ROUNDS):
        name = names[i % 5]
        if hasattr(s, name):
            setattr(s, name, getattr(s, name) + i)
        else:
            setattr(s, name, i)
        if hasattr(s, "beta") and not hasattr(s, "missing"):
            count += 1
        s.counter = getattr(s, "counter", 0) + 1
    total = sum(getattr(s, n) for n in names)
    print("dynamic:", count, total, s.counter, getattr(s, "nothing", "default"),
          sorted(vars(s).items())[:2])


def run_shapes():
    shapes = []
    for i in range(3000):
        k = i % 4
        if k == 0:
            shapes.append(Rect(i % 13 + 1, i % 7 + 1))
        elif k == 1:
            shapes.append(Square(i % 11 + 1))
        elif k == 2:
            shapes.append(Circle(i % 5 + 1))
        else:
            shapes.append(Shape())
    counts = {}
    area = 0
    for rep in range(20 * ROUNDS):
        for sh in shapes:
            if isinstance(sh, Rect):
                area += sh.w + sh.h
            elif isinstance(sh, (Circle, Square)):
                area += sh.r
            area += sh.area()
            if rep == 0:
                counts[sh.kind] = counts.get(sh.kind, 0) + 1
    sq = shapes[1]
    sq.kind = "custom"
    print("shapes:", area, sorted(counts.items()), sq.kind, Square.kind, shapes[5].kind,
          isinstance(sq, Shape), issubclass(Square, Rect), type(sq).__name__)


def run_raytrace():
    scene = Scene()
    scene.add(Sphere(Vector(0.0, 1.0, -2.0), 1.0))
    scene.add(Sphere(Vector(-1.8, 0.6, -1.0), 0.6))
    scene.add(Sphere(Vector(1.6, 0.5, -0.5), 0.5))
    scene.add(Halfspace(Vector(0.0, 0.0, 0.0), Vector.UP))
    scene.lights.append(Light(Vector(30.0, 30.0, 10.0), 0.6))
    scene.lights.append(Light(Vector(-10.0, 100.0, 30.0), 0.3))
    total, rows = scene.render(WIDTH, HEIGHT)
    print("raytrace: hits %d misses %d total %.6f" % (scene.hits, scene.misses, total))
    for row in rows[::6]:
        print(row.rstrip())


def main():
    run_particles()
    run_accounts()
    run_dynamic()
    run_shapes()
    run_raytrace()


main()
