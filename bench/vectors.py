# Operator overloading on small value classes: a 3-D vector type with
# __add__/__sub__/__mul__/__rmul__/__neg__/__truediv__, __eq__ and __hash__,
# properties, a tiny sphere ray caster and a particle integrator.

import math


class Vec:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y, self.z + o.z)

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y, self.z - o.z)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k, self.z * k)

    __rmul__ = __mul__

    def __truediv__(self, k):
        return Vec(self.x / k, self.y / k, self.z / k)

    def __neg__(self):
        return Vec(-self.x, -self.y, -self.z)

    def __eq__(self, o):
        return isinstance(o, Vec) and self.x == o.x and self.y == o.y and self.z == o.z

    def __hash__(self):
        return hash((self.x, self.y, self.z))

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z

    def cross(self, o):
        return Vec(self.y * o.z - self.z * o.y, self.z * o.x - self.x * o.z, self.x * o.y - self.y * o.x)

    @property
    def length(self):
        return math.sqrt(self.dot(self))

    def normalized(self):
        return self / self.length

    def __repr__(self):
        return "Vec(%.3f, %.3f, %.3f)" % (self.x, self.y, self.z)


class Ray:
    def __init__(self, origin, direction):
        self.origin = origin
        self.direction = direction.normalized()

    def at(self, t):
        return self.origin + self.direction * t


class Sphere:
    def __init__(self, center, radius, shade):
        self.center = center
        self.radius = radius
        self.shade = shade

    def hit(self, ray):
        oc = ray.origin - self.center
        b = oc.dot(ray.direction)
        c = oc.dot(oc) - self.radius * self.radius
        disc = b * b - c
        if disc < 0:
            return None
        t = -b - math.sqrt(disc)
        return t if t > 1e-6 else None

    def normal(self, p):
        return (p - self.center).normalized()


def render(width, height, spheres, light):
    eye = Vec(0.0, 0.0, -4.0)
    rows = []
    for j in range(height):
        row = []
        for i in range(width):
            target = Vec((i - width / 2) / width, (j - height / 2) / height, 0.0)
            ray = Ray(eye, target - eye)
            best = None
            best_t = 1e30
            for s in spheres:
                t = s.hit(ray)
                if t is not None and t < best_t:
                    best, best_t = s, t
            if best is None:
                row.append(0)
                continue
            p = ray.at(best_t)
            n = best.normal(p)
            lum = max(0.0, n.dot((light - p).normalized()))
            row.append(int(lum * best.shade * 9))
        rows.append(row)
    return rows


def simulate(steps):
    particles = [(Vec(float(i), float(i % 3), float(-i)), Vec(0.1 * i, 0.0, 0.05)) for i in range(40)]
    gravity = Vec(0.0, -9.81, 0.0)
    dt = 0.001
    for _ in range(steps):
        moved = []
        for pos, vel in particles:
            vel = vel + dt * gravity
            pos = pos + vel * dt
            if pos.y < 0:
                pos = Vec(pos.x, -pos.y, pos.z)
                vel = Vec(vel.x, -vel.y * 0.9, vel.z)
            moved.append((pos, vel))
        particles = moved
    centre = Vec(0.0, 0.0, 0.0)
    for pos, _ in particles:
        centre = centre + pos
    return centre / len(particles)


spheres = [Sphere(Vec(0.0, 0.0, 3.0), 1.0, 1.0), Sphere(Vec(1.5, 0.5, 4.0), 0.8, 0.7),
           Sphere(Vec(-1.2, -0.6, 2.5), 0.5, 0.9)]
image = render(200, 150, spheres, Vec(5.0, 5.0, -5.0))
print("image", sum(sum(r) for r in image), sum(1 for r in image for v in r if v))
print("centre", simulate(1500))
basis = [Vec(1.0, 0.0, 0.0), Vec(0.0, 1.0, 0.0), Vec(0.0, 0.0, 1.0)]
print("cross", basis[0].cross(basis[1]) == basis[2], -basis[0], 2 * basis[1])
seen = set()
for i in range(20000):
    seen.add(Vec(float(i % 17), float(i % 5), 0.0))
print("distinct", len(seen))
