# Reference values for the limit tests of issue 12, computed with mpmath at
# 40 digits (50 for the models). Usage:
#   python3 limits.py hyp            internal/mle TestHyp2F1C1Split: log F =
#       log 2F1(a, b; a+1; z) with z = 1 - omz given by 1 - z exactly, and its
#       partial derivatives by mp.diff (a, b, z)
#   python3 limits.py bg|mbg|pnbd    clv TestLimit*References: LL, P(alive),
#       E[Y(t)], E[X(t)] at limiting parameters, by the formulas of
#       continuous.py (FHL eqs. 6, 10, 11 with mp.hyp2f1, or tanh-sinh
#       quadrature of E[(1-(1+pt/h)^-R)/p] where that series does not
#       converge; the Fader-Hardie Pareto/NBD note with mp.hyp2f1)
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

def models(which):
    sys.argv = [sys.argv[0], "none"]
    import continuous as C
    C.mp.dps = 50
    cust = [(0, 0, 52), (1, 10, 52), (6, 365/7, 367/7), (30, 20, 53), (276, 53, 53.3)]
    ts = [1, 52]
    if which in ("bg", "mbg"):
        ps = [(0.7953975312503726, 9.316803329328799, 0.004463226804892479, 6.054530740467143),
              (0.7981, 9.293, 1.859e-4, 0.3781), (0.8159, 9.754, 2.156e-4, 0.04917),
              (0.7795, 8.811, 0.5033, 2426), (0.8, 9.3, 1e4, 1e-4), (0.8, 9.3, 1e-4, 1e4)]
        ev = lambda P, c, t: C.bg(*P, *c, t, 0 if which == "bg" else 1)
    else:
        ps = [(0.7966451622853945, 9.35089456165698, 9.459231445416954e-8, 3755251.1485549794),
              (0.8, 9.3, 1e-8, 1e8), (0.8, 9.3, 100, 1e8), (0.8, 1e4, 1e-8, 1e-4)]
        ev = lambda P, c, t: C.pnbd(*P, *c, t)
    for P in ps:
        for c in cust:
            for t in ts:
                ll, pa, ce, e = ev(P, c, t)
                print("\t{[4]float64{%r, %r, %r, %r}, Customer{%r, %r, %r}, %r, %s, %s, %s, %s}," % (P + c + (t,) + (C.f(ll), C.f(pa), C.f(ce), C.f(e))))

if sys.argv[1] == "hyp":
    hyp()
else:
    models(sys.argv[1])
