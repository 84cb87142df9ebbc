# Reference values for clv/stress_refs2_test.go, mpmath at 50 digits.
# Usage: python3 discrete_spend.py bgbb|sbg|derl|gg|pp|pppnbd
import sys
from mpmath import linspace, mp, mpf, beta, loggamma, log, exp, hyp2f1, betainc, quad, binomial, gamma
mp.dps = 50
def f(v):
    if v != 0 and abs(v) < mpf(10)**-300: return "0"
    return mp.nstr(v, 20, min_fixed=-4, max_fixed=4) if v != 0 else "0"
lB = lambda a, b: loggamma(a)+loggamma(b)-loggamma(a+b)
def derl_quad(a, B, d):
    # (1+d) E[(1-th)/(d+th)], th ~ Beta(a, B): analytic on [0, th0] (th0 = 1e-30 d,
    # where the integrand is 1/d to 30 digits), tanh-sinh in y = log th on
    # [th0, 1/2], and in w with 1-th = w^(1/B)/2 on [1/2, 1].
    lb = lB(a, B)
    th0 = d*mpf(10)**-30
    low = exp(a*log(th0) - log(a) - lb)/d
    def g(y):
        th = exp(y)
        return (1-th)/(d+th)*exp(a*y + (B-1)*mp.log1p(-th) - lb)
    sd = mp.sqrt(1/a+1/B)
    top = -log(2)
    pts = [log(th0), log(d), -log(B), log(a/(a+B))] + [log(a/(a+B)) + k*sd for k in range(-8, 9)] + list(mp.arange(mp.ceil(log(th0)), top, 2))
    pts = sorted(set([p for p in pts if log(th0) <= p < top] + [top]))
    mid = quad(g, pts)
    def h(w):
        q = w**(1/B)/2
        return q/(d+1-q)*(1-q)**(a-1)
    up = exp(B*log(mpf(1)/2) - log(B) - lb)*quad(h, [0, mpf(1)/2, 1])
    return (1+d)*(low + mid + up)

which = sys.argv[1]
if which == "bgbb":
    P = [(mpf('1.204'), mpf('0.750'), mpf('0.657'), mpf('2.783')), (mpf('1e-4'), mpf('1e-4'), mpf('1e-4'), mpf('1e-4')), (mpf('1e4'), mpf('1e-4'), mpf('1e-4'), mpf('1e4')), (mpf('1e-4'), mpf('1e4'), mpf(100), mpf('1e4')), (mpf('1e4'), mpf('1e4'), mpf('1e4'), mpf('1e4'))]
    C = [(0,0,0),(0,0,10000),(10000,10000,10000),(5000,9000,10000),(1,1,10000),(3,5,10)]
    for (a,b,g,d) in P:
        lab, lgd = lB(a,b), lB(g,d)
        for (x,tx,n) in C:
            x,tx,n = mpf(x),mpf(tx),mpf(n)
            A = exp(lB(a+x,b+n-x)-lab+lB(g,d+n)-lgd)
            # sum by the ratio recursion in mp (exact arithmetic at 50 digits)
            S = mpf(0)
            if n-tx >= 1:
                term = exp(lB(a+x,b+tx-x)-lab+lB(g+1,d+tx)-lgd)
                S = term
                for i in range(0, int(n-tx)-1):
                    i = mpf(i)
                    term *= (b+tx-x+i)/(a+b+tx+i)*(d+tx+i)/(g+d+1+tx+i)
                    S += term
            L = A+S
            pa = exp(lB(a+x,b+n-x)-lab+lB(g,d+n+1)-lgd)/L
            for t in (1, 10000):
                t = mpf(t)
                ce = exp(lB(a+x+1,b+n-x)-lab)/L*d/(g-1)*exp(loggamma(g+d)-loggamma(1+d))*(exp(loggamma(1+d+n)-loggamma(g+d+n))-exp(loggamma(1+d+n+t)-loggamma(g+d+n+t)))
                ex = a/(a+b)*d/(g-1)*(1-exp(loggamma(g+d)+loggamma(1+d+t)-loggamma(g+d+t)-loggamma(1+d)))
                dd = mpf('0.1')
                dert = exp(lB(a+x+1,b+n-x)-lab+lB(g,d+n+1)-lgd)/(1+dd)*hyp2f1(1,d+n+1,g+d+n+1,1/(1+dd))/L
                print("\t{[4]float64{%s, %s, %s, %s}, Customer{%s, %s, %s}, %s, %s, %s, %s, %s, %s}," % (tuple(map(lambda v: mp.nstr(v, 17), (a,b,g,d,x,tx,n,t)))+ (f(log(L)), f(pa), f(ce), f(ex), f(dert))))
elif which == "sbg":
    P = [(mpf('0.704'), mpf('1.182')), (mpf('1e-4'), mpf('1e-4')), (mpf('1e-4'), mpf('1e4')), (mpf('1e4'), mpf('1e-4')), (mpf('1e4'), mpf('1e4')), (mpf('0.01'), mpf(100))]
    for (a,b) in P:
        for t in (1, 100, 100000):
            S = exp(lB(a, b+t)-lB(a,b))
            R = (b+t-1)/(a+b+t-1)
            print("\t{%s, %s, %d, %s, %s}," % (mp.nstr(a,17), mp.nstr(b,17), t, f(S), f(R)))
elif which == "derl":
    P = [(mpf('0.704'), mpf('1.182')), (mpf('1e-4'), mpf('1e-4')), (mpf('1e-4'), mpf('1e4')), (mpf('1e4'), mpf('1e-4')), (mpf('1e4'), mpf('1e4')), (mpf('0.01'), mpf(100))]
    for (a,b) in P:
        for d in (mpf('1e-6'), mpf('1e-3'), mpf('0.1')):
            for n in (0, 10, 100000):
                # DERL = (1+d) E[(1-th)/(d+th)], th ~ Beta(a, b+n): by hyp2f1, checked by quad
                bn = b+n
                v = derl_quad(a, bn, d)
                try:
                    h = bn/(a+bn)*hyp2f1(1, bn+1, a+bn+1, 1/(1+d))
                    if abs(h-v) > mpf(10)**-20*abs(v):
                        print("MISMATCH", a, b, d, n, h, v, file=sys.stderr)
                    v = h
                except Exception:
                    pass
                print("\t{%s, %s, %s, %d, %s}," % (mp.nstr(a,17), mp.nstr(b,17), mp.nstr(d,17), n, f(v)))
elif which == "gg":
    P = [(mpf('6.25'), mpf('3.74'), mpf('15.44')), (mpf('1e-4'), mpf('1e-4'), mpf('1e-4')), (mpf('1e4'), mpf('1e4'), mpf('1e4')), (mpf('1e-4'), mpf('1e4'), mpf('1e-4')), (mpf('1e4'), mpf('1e-4'), mpf('1e4'))]
    for (p,q,v) in P:
        for x in (1, 10000):
            for m in (mpf('1e-4'), mpf(1), mpf('1e4')):
                ll = loggamma(p*x+q)-loggamma(p*x)-loggamma(q)+q*log(v)+p*x*log(x)+(p*x-1)*log(m)-(p*x+q)*log(v+m*x)
                den = p*x+q-1
                ces = p*(v+x*m)/den
                print("\t{%s, %s, %s, %d, %s, %s, %s}," % (mp.nstr(p,17), mp.nstr(q,17), mp.nstr(v,17), x, mp.nstr(m,17), f(ll), f(ces)))
elif which == "pp":
    def nbd(k, r, al, t):
        return exp(loggamma(r+k)-loggamma(r)-loggamma(k+1)+r*log(al/(al+t))+k*log(t/(al+t)))
    for (r,al,a,b) in [(mpf('0.243'), mpf('4.414'), mpf('0.793'), mpf('2.426')), (mpf('1e-4'), mpf('1e-4'), mpf('1e4'), mpf('1e-4')), (mpf('1e4'), mpf('1e4'), mpf('0.5'), mpf('0.3'))]:
        for k in (0, 1, 100, 10000):
            for t in (mpf(1), mpf(365), mpf(100000)):
                bg = exp(lB(a,b+k)-lB(a,b))*nbd(k,r,al,t) + (exp(lB(a+1,b+k-1)-lB(a,b))*betainc(k, r, 0, t/(al+t), regularized=True) if k > 0 else 0)
                tail = betainc(k, r, 0, t/(al+t), regularized=True) if k > 0 else 1
                mbg = exp(lB(a,b+k+1)-lB(a,b))*nbd(k,r,al,t) + exp(lB(a+1,b+k)-lB(a,b))*tail
                print("\t{[4]float64{%s, %s, %s, %s}, %d, %s, %s, %s}," % (mp.nstr(r,17), mp.nstr(al,17), mp.nstr(a,17), mp.nstr(b,17), k, mp.nstr(t,17), f(bg), f(mbg)))
elif which == "pppnbd":
    def nbd(k, r, al, t):
        return exp(loggamma(r+k)-loggamma(r)-loggamma(k+1)+r*log(al/(al+t))+k*log(t/(al+t)))
    for (r,al,s,be) in [(mpf('0.553'), mpf('10.578'), mpf('0.606'), mpf('11.669')), (mpf('2'), mpf('1e4'), mpf('3'), mpf('1e-4')), (mpf('1e-4'), mpf('1e-4'), mpf('0.5'), mpf('1e4'))]:
        for k in (0, 1, 100):
            for t in (mpf(1), mpf(365), mpf(100000)):
                f1 = nbd(k,r,al,t)*(be/(be+t))**s
                integ = lambda tau: s*be**s*(be+tau)**(-(s+1))*nbd(k,r,al,tau) if tau > 0 else (s/be if k == 0 else 0)
                lo = mpf(10)**-6*min(al, be, t)
                geo = []
                while lo < t:
                    geo.append(lo); lo *= 2
                pts = sorted(set([mpf(0), t] + [x for x in geo + list(linspace(0, t, 41)) + [k*al/r] if 0 < x < t]))
                v = f1 + quad(integ, pts)
                print("\t{[4]float64{%s, %s, %s, %s}, %d, %s, %s}," % (mp.nstr(r,17), mp.nstr(al,17), mp.nstr(s,17), mp.nstr(be,17), k, mp.nstr(t,17), f(v)))
