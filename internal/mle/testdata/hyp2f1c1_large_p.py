# Reference values for TestHyp2F1C1LargeP (internal/mle/hyp_laplace_test.go):
# log 2F1(p, b; p+1; z) and its partial derivatives in p, b, z, with mpmath
# at 40 significant digits (mpmath.hyp2f1; derivatives by mpmath.diff).
# Run: python3 hyp2f1c1_large_p.py
import mpmath as mp

mp.mp.dps = 40
ps = ["1e3", "1e4", "1e5"]
bs = ["0.37", "1", "2", "3.000000001", "5.5", "40"]
zs = ["0.5", "0.99", "0.999999"]


def logF(p, b, z):
    return mp.log(mp.hyp2f1(p, b, p + 1, z))


for p in ps:
    for b in bs:
        for z in zs:
            P, B, Z = mp.mpf(p), mp.mpf(b), mp.mpf(z)
            v = logF(P, B, Z)
            dp = mp.diff(lambda t: logF(t, B, Z), P)
            db = mp.diff(lambda t: logF(P, t, Z), B)
            dz = mp.diff(lambda t: logF(P, B, t), Z)
            print("\t\t{%s, %s, %s, %s, %s, %s, %s}," % (
                p, b, z, mp.nstr(v, 20), mp.nstr(dp, 17), mp.nstr(db, 17), mp.nstr(dz, 17)))
