# References of TestStressRegressions (clv/stress_refs2_test.go): BG/NBD
# E[X(t)] = rem(r, a, b, alpha, t) and sBG DERL by hyp2f1. Usage: python3 regressions.py
import os
here = os.path.dirname(os.path.abspath(__file__))
exec(open(os.path.join(here, 'continuous.py')).read().replace("which = sys.argv[1]", "which='none'"))
for (r, al, a, b, t) in [(100, 0.01, 0.01, 1, 1), (100, 0.01, 0.01, 1, 365), (100, 0.01, 1.5, 0.01, 1), (100, 0.01, 0.01, 0.01, 365), (100, 1, 0.01, 0.01, 1)]:
    print("\t{[4]float64{%g, %g, %g, %g}, %g, %s}," % (r, al, a, b, t, f(rem(*map(mpf, (r, a, b, al, t))))))
for (a, b, d, n) in [(1e4, 100, 1e-6, 0), (1e4, 100, 1e-3, 10)]:
    a, b, d = mpf(a), mpf(b), mpf(d)
    bn = b + n
    print("\t{%s, %d, %s}," % (mp.nstr(d, 17), n, mp.nstr(bn/(a+bn)*hyp2f1(1, bn+1, a+bn+1, 1/(1+d)), 20)))
