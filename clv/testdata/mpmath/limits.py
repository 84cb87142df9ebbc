# Reference values for the limit tests of issue 12, computed with mpmath at
# 40 digits. Usage: python3 limits.py hyp   (internal/mle TestHyp2F1C1Split)
# log F = log 2F1(a, b; a+1; z) with z = 1 - omz given by 1 - z exactly, and
# its partial derivatives by mp.diff (a, b, z).
import sys
from mpmath import mp, mpf, hyp2f1, log, diff, nstr

mp.dps = 40

def g(v):
    return nstr(v, 20, min_fixed=-3, max_fixed=3).replace("e-0", "e-").replace("e+0", "e+")

def hyp():
    pts = [
        (0.8, 0.7966, 1e-5),
        (2.7966452, 2.7966451, 2.5e-6),
        (3.0000001, 3, 1e-6),
        (2.5, 2.0000000001, 1e-7),
        (1e-4, 5e-5, 1e-10),
        (5.8, 1.00000001, 1e-6),
        (1.5, 1, 1e-12),
        (277.8, 276.8, 1e-5),
        (10000.8, 1.00001, 1e-7),
        (50.5, 30.2, 1e-3),
        (1, 1.999999999, 0.3),
        (0.3, 1.2, 0.2),
    ]
    for a, b, omz in pts:
        a, b, omz = mpf(a), mpf(b), mpf(omz)
        f = lambda a_, b_, z_: log(hyp2f1(a_, b_, a_ + 1, z_))
        z = 1 - omz
        v = f(a, b, z)
        da = diff(lambda x: f(x, b, z), a)
        db = diff(lambda x: f(a, x, z), b)
        dz = diff(lambda x: f(a, b, x), z)
        print("\t\t{%s, %s, %s, %s, %s, %s, %s}," % (g(a), g(b), g(omz), g(v), g(da), g(db), g(dz)))

{"hyp": hyp}[sys.argv[1]]()
