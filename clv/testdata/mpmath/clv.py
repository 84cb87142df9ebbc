# CLV references of clv/stress_refs2_test.go (uses continuous.py). Usage: python3 clv.py
import sys
import os
src=open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'continuous.py')).read().replace("which = sys.argv[1]","which='none'")
exec(src)
# CLV = margin * spend * sum_k [E(t_k) - E(t_{k-1})] (1+d)^-t_k, t_k = k H / K
def clv(model, P, c, H, K, d, spend, margin):
    prev = mpf(0); tot = mpf(0)
    for k in range(1, K+1):
        t = mpf(H)*k/K
        if model == 'bg':
            e = bg(*P, *c, t, 0)[2]
        else:
            e = pnbd(*P, *c, t)[2]
        tot += (e - prev) * (1+mpf(d))**(-t)
        prev = e
    return mpf(margin)*mpf(spend)*tot
for model, P in [('bg', (0.243, 30.898, 0.793, 2.426)), ('bg', (1e-4, 1e-4, 1e4, 1e-4)), ('pnbd', (0.553, 74.05, 0.606, 81.68)), ('pnbd', (1e-4, 1e-4, 0.5, 1e4))]:
    for c in [(0,0,0), (1e4, 99990, 1e5), (3, 200, 365)]:
        v = clv(model, P, c, 3650, 5, 0.0003, 10, 0.3)
        print('\t{"%s", [4]float64{%g, %g, %g, %g}, Customer{%g, %g, %g}, %s},' % ((model,)+P+c+(f(v),)))
