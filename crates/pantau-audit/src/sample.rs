//! Which articles to review: how many from each stratum, and which.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// One stratum as the next draw sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Room {
    /// Already in the sample (reviewed or not).
    pub sampled: u64,
    /// Not yet in the sample: what can still be drawn.
    pub room: u64,
    /// How much a review here is worth: 1 for equal allocation,
    /// N²·S² (population squared times the stratum's variance) for
    /// Neyman's.
    pub weight: f64,
}

/// Splits `size` new reviews across strata greedily: each goes where it
/// shrinks the variance most, `weight / (n (n + 1))` for a stratum that
/// has `n` — a stratum without a review always first, so every stratum
/// is measured. With equal weights this is equal allocation (the rare
/// negative stratum gets as many as the large neutral one, and a stratum
/// smaller than its share is taken whole); with Neyman weights it is
/// Neyman allocation in whole reviews. Never more than a stratum's room;
/// the sum is `size` or all the room there is.
pub fn allocate(strata: &[Room], size: u64) -> Vec<u64> {
    let mut extra = vec![0u64; strata.len()];
    for _ in 0..size {
        let mut best: Option<(usize, f64)> = None;
        for (i, s) in strata.iter().enumerate() {
            if extra[i] >= s.room {
                continue;
            }
            let n = (s.sampled + extra[i]) as f64;
            let gain = if n == 0.0 {
                f64::INFINITY
            } else {
                s.weight.max(0.0) / (n * (n + 1.0))
            };
            if best.is_none_or(|(_, g)| gain > g) {
                best = Some((i, gain));
            }
        }
        match best {
            Some((i, _)) => extra[i] += 1,
            None => break,
        }
    }
    extra
}

/// Draws `counts[h]` items from each frame `frames[h]` without
/// replacement, with a ChaCha8 generator seeded by `seed`, and returns
/// them as `(stratum, item)` in a random order — the order to review them
/// in, so a review left half done is still a random sample. The same
/// frames (in the same order), counts and seed give the same draw.
pub fn draw<T: Clone>(frames: &[Vec<T>], counts: &[u64], seed: u64) -> Vec<(usize, T)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::new();
    for (h, frame) in frames.iter().enumerate() {
        let k = counts.get(h).copied().unwrap_or(0).min(frame.len() as u64) as usize;
        for i in rand::seq::index::sample(&mut rng, frame.len(), k) {
            out.push((h, frame[i].clone()));
        }
    }
    out.shuffle(&mut rng);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn equal(sampled: u64, room: u64) -> Room {
        Room {
            sampled,
            room,
            weight: 1.0,
        }
    }

    #[test]
    fn equal_allocation_takes_small_strata_whole_and_shares_the_rest() {
        // Negative 10 articles, neutral 300, positive 90: 80 reviews.
        let a = allocate(&[equal(0, 10), equal(0, 300), equal(0, 90)], 80);
        assert_eq!(a, [10, 35, 35]);
        // A later draw evens out what an earlier one left uneven.
        let a = allocate(&[equal(10, 0), equal(5, 295), equal(20, 70)], 20);
        assert_eq!(a, [0, 18, 2]);
        // Never more than there is.
        assert_eq!(allocate(&[equal(0, 3), equal(0, 2)], 100), [3, 2]);
    }

    #[test]
    fn neyman_weights_send_reviews_where_the_variance_is() {
        let rooms = [
            Room {
                sampled: 10,
                room: 1000,
                weight: 100.0,
            },
            Room {
                sampled: 10,
                room: 1000,
                weight: 400.0,
            },
        ];
        let a = allocate(&rooms, 30);
        // Neyman: n ∝ √weight, so 1 : 2 of the 50 in all.
        assert_eq!(a.iter().sum::<u64>(), 30);
        assert!((a[0] as i64 + 10 - 17).abs() <= 1, "{a:?}");
        // An unmeasured stratum gets a review before any other.
        let a = allocate(
            &[
                Room {
                    sampled: 0,
                    room: 5,
                    weight: 0.0,
                },
                rooms[1],
            ],
            1,
        );
        assert_eq!(a, [1, 0]);
    }

    #[test]
    fn a_seed_reproduces_the_draw_and_draws_never_repeat_an_item() {
        let frames: Vec<Vec<u32>> = vec![(0..50).collect(), (100..400).collect()];
        let a = draw(&frames, &[10, 20], 7);
        assert_eq!(a, draw(&frames, &[10, 20], 7));
        assert_ne!(a, draw(&frames, &[10, 20], 8));
        assert_eq!(a.iter().filter(|(h, _)| *h == 0).count(), 10);
        assert_eq!(a.iter().filter(|(h, _)| *h == 1).count(), 20);
        let mut items: Vec<u32> = a.iter().map(|(_, x)| *x).collect();
        assert!(a.iter().all(|(h, x)| frames[*h].contains(x)));
        items.sort_unstable();
        items.dedup();
        assert_eq!(items.len(), 30);
        // The review order is shuffled, not stratum by stratum.
        assert!(a[..10].iter().any(|(h, _)| *h == 1));
    }
}
