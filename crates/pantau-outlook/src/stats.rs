//! Distribution tails, exact for the small counts news volumes have.

/// `ln Γ(x)`.
fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// `P(X ≥ k)` for `X ~ Binomial(n, p)`.
pub fn binomial_upper(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n || p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    let (nf, lp, lq) = (n as f64, p.ln(), (1.0 - p).ln());
    let ln_n = ln_gamma(nf + 1.0);
    let mut sum = 0.0;
    for i in k..=n {
        let i = i as f64;
        let ln_pmf = ln_n - ln_gamma(i + 1.0) - ln_gamma(nf - i + 1.0) + i * lp + (nf - i) * lq;
        let term = ln_pmf.exp();
        sum += term;
        // The tail's terms fall fast once past the mean.
        if term < sum * 1e-16 && i > nf * p {
            break;
        }
    }
    sum.min(1.0)
}

/// `P(X ≥ k)` for `X ~ Poisson(lambda)`.
pub fn poisson_upper(k: u64, lambda: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if lambda <= 0.0 {
        return 0.0;
    }
    // 1 − P(X < k), summed in log space.
    let mut below = 0.0;
    for i in 0..k {
        let i = i as f64;
        below += (i * lambda.ln() - lambda - ln_gamma(i + 1.0)).exp();
    }
    (1.0 - below).clamp(0.0, 1.0)
}

/// `P(Z ≤ z)` for a standard normal `Z`.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails_agree_with_hand_computed_values() {
        // Binomial(10, 0.5): P(X ≥ 8) = (45 + 10 + 1) / 1024.
        assert!((binomial_upper(8, 10, 0.5) - 56.0 / 1024.0).abs() < 1e-12);
        assert_eq!(binomial_upper(0, 10, 0.3), 1.0);
        assert_eq!(binomial_upper(11, 10, 0.3), 0.0);
        // Poisson(2): P(X ≥ 1) = 1 − e⁻².
        assert!((poisson_upper(1, 2.0) - (1.0 - (-2.0f64).exp())).abs() < 1e-12);
        assert!((normal_cdf(1.959_963_984_540_054) - 0.975).abs() < 1e-9);
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-15);
    }
}
