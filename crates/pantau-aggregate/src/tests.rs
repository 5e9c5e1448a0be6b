use super::*;
use chrono_tz::Asia::Jakarta;
use proptest::prelude::*;

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn calendar_windows_start_at_local_midnight() {
    // 2026-04-01 02:00 in Jakarta is 2026-03-31 19:00 UTC: April already.
    let now = utc("2026-03-31T19:00:00Z");
    assert_eq!(
        Window::MonthToDate.start(now, Jakarta),
        utc("2026-03-31T17:00:00Z")
    );
    assert_eq!(
        Window::QuarterToDate.start(now, Jakarta),
        utc("2026-03-31T17:00:00Z")
    );
    assert_eq!(
        Window::YearToDate.start(now, Jakarta),
        utc("2025-12-31T17:00:00Z")
    );
    // One hour earlier it is still March in Jakarta.
    let now = utc("2026-03-31T16:00:00Z");
    assert_eq!(
        Window::MonthToDate.start(now, Jakarta),
        utc("2026-02-28T17:00:00Z")
    );
    assert_eq!(
        Window::QuarterToDate.start(now, Jakarta),
        utc("2025-12-31T17:00:00Z")
    );
    assert_eq!(
        Window::Rolling24h.start(now, Jakarta),
        utc("2026-03-30T16:00:00Z")
    );
    for w in Window::ALL {
        assert_eq!(Window::from_label(w.label()), Some(w));
    }
}

#[test]
fn windows_count_late_articles_by_publication_time() {
    let now = utc("2026-05-20T12:00:00Z");
    let mut c = Counters::new();
    let at = |s: &str| utc(s).timestamp_millis();
    c.add(
        "k",
        MediaType::Online,
        Sentiment::Negative,
        Sentiment::Negative,
        at("2026-05-20T11:00:00Z"),
    );
    c.add(
        "k",
        MediaType::Tv,
        Sentiment::Positive,
        Sentiment::Positive,
        at("2026-05-15T00:00:00Z"),
    );
    // Late: arrives now, published in April.
    c.add(
        "k",
        MediaType::Online,
        Sentiment::Negative,
        Sentiment::Negative,
        at("2026-04-25T00:00:00Z"),
    );
    c.add(
        "k",
        MediaType::Online,
        Sentiment::Neutral,
        Sentiment::Neutral,
        at("2026-01-02T00:00:00Z"),
    );
    // In the future: not yet in any window.
    c.add(
        "k",
        MediaType::Online,
        Sentiment::Negative,
        Sentiment::Negative,
        at("2026-05-21T00:00:00Z"),
    );
    let w = |win| c.window("k", win, now, Jakarta);
    assert_eq!(
        w(Window::Rolling24h),
        WindowCounts {
            negative: 1,
            neutral: 0,
            positive: 0
        }
    );
    assert_eq!(w(Window::Rolling7d).total(), 2);
    assert_eq!(w(Window::Rolling30d).total(), 3);
    assert_eq!(w(Window::MonthToDate).total(), 2);
    assert_eq!(w(Window::QuarterToDate).total(), 3);
    assert_eq!(
        w(Window::YearToDate),
        WindowCounts {
            negative: 2,
            neutral: 1,
            positive: 1
        }
    );
    assert_eq!(
        c.window("other", Window::YearToDate, now, Jakarta).total(),
        0
    );
    let totals = c.totals();
    assert_eq!(totals.iter().map(|t| t.3).sum::<u64>(), 5);
    assert!(totals.contains(&("k".into(), MediaType::Online, Sentiment::Negative, 3)));
}

#[test]
fn ratio_respects_the_denominator_and_no_data() {
    let w = WindowCounts {
        negative: 1,
        neutral: 2,
        positive: 1,
    };
    assert_eq!(w.negative_ratio(Denominator::All), Some(0.25));
    assert_eq!(w.negative_ratio(Denominator::Opinionated), Some(0.5));
    let none = WindowCounts {
        negative: 0,
        neutral: 3,
        positive: 0,
    };
    assert_eq!(none.negative_ratio(Denominator::All), Some(0.0));
    assert_eq!(none.negative_ratio(Denominator::Opinionated), None);
    assert_eq!(
        WindowCounts::default().negative_ratio(Denominator::All),
        None
    );
}

#[test]
fn reclassify_moves_one_count_and_prune_keeps_totals() {
    let now = utc("2026-05-20T12:00:00Z");
    let t = utc("2026-05-20T10:00:00Z").timestamp_millis();
    let old = utc("2024-01-01T00:00:00Z").timestamp_millis();
    let mut c = Counters::new();
    c.add(
        "k",
        MediaType::Radio,
        Sentiment::Negative,
        Sentiment::Negative,
        t,
    );
    c.add(
        "k",
        MediaType::Radio,
        Sentiment::Negative,
        Sentiment::Negative,
        old,
    );
    c.reclassify(
        "k",
        MediaType::Radio,
        Sentiment::Negative,
        Sentiment::Neutral,
        t,
    );
    let w = c.window("k", Window::Rolling24h, now, Jakarta);
    assert_eq!((w.negative, w.neutral), (0, 1));
    // The counter keeps the classifier's decision: it never goes down.
    assert!(c
        .totals()
        .contains(&("k".into(), MediaType::Radio, Sentiment::Negative, 2)));
    // Added already overridden (a restart): windows effective, totals classified.
    c.add(
        "k",
        MediaType::Tv,
        Sentiment::Positive,
        Sentiment::Negative,
        t,
    );
    assert_eq!(c.window("k", Window::Rolling24h, now, Jakarta).negative, 1);
    assert!(c
        .totals()
        .contains(&("k".into(), MediaType::Tv, Sentiment::Positive, 1)));
    c.prune(now, Jakarta);
    // The 2024 article left the per-second counts; the totals keep all three.
    assert_eq!(c.range("k", utc("2000-01-01T00:00:00Z"), now).total(), 2);
    assert_eq!(c.totals().iter().map(|t| t.3).sum::<u64>(), 3);
}

proptest! {
    #[test]
    fn window_starts_are_ordered_and_bounded(secs in 946_684_800i64..4_102_444_800i64) {
        let now = DateTime::from_timestamp(secs, 0).unwrap();
        for tz in [Jakarta, chrono_tz::Asia::Makassar, chrono_tz::Asia::Jayapura, chrono_tz::Europe::Berlin] {
            let s = |w: Window| w.start(now, tz);
            prop_assert!(s(Window::YearToDate) <= s(Window::QuarterToDate));
            prop_assert!(s(Window::QuarterToDate) <= s(Window::MonthToDate));
            prop_assert!(s(Window::MonthToDate) <= now);
            // A month or quarter can hold the hour a DST change gives back
            // (Berlin's 31 October, 23:00).
            let dst = Duration::hours(1);
            prop_assert!(now - s(Window::MonthToDate) <= Duration::days(31) + dst);
            prop_assert!(now - s(Window::QuarterToDate) <= Duration::days(92) + dst);
            prop_assert!(now - s(Window::YearToDate) <= Duration::days(366));
            // The month start is the 1st at local midnight.
            let local = s(Window::MonthToDate).with_timezone(&tz);
            prop_assert_eq!(local.day(), 1);
            prop_assert_eq!(local.format("%H:%M").to_string(), "00:00");
        }
    }

    #[test]
    fn ratio_is_a_fraction(neg in 0u64..1000, neu in 0u64..1000, pos in 0u64..1000) {
        let w = WindowCounts { negative: neg, neutral: neu, positive: pos };
        for d in [Denominator::All, Denominator::Opinionated] {
            if let Some(r) = w.negative_ratio(d) {
                prop_assert!((0.0..=1.0).contains(&r));
            }
        }
    }
}

#[test]
fn period_bounds_are_local_midnights() {
    let (a, b) = period_bounds(&"2023-05".parse().unwrap(), chrono_tz::Asia::Jakarta);
    assert_eq!(a.to_rfc3339(), "2023-04-30T17:00:00+00:00");
    assert_eq!(b.to_rfc3339(), "2023-05-31T17:00:00+00:00");
}

#[test]
fn a_tally_has_the_share_of_its_denominator() {
    let c = WindowCounts {
        negative: 1,
        neutral: 2,
        positive: 1,
    };
    let t = c.tally(Denominator::All);
    assert_eq!((t.total, t.denominator, t.negative_pct), (4, 4, Some(25.0)));
    let t = c.tally(Denominator::Opinionated);
    assert_eq!((t.denominator, t.negative_ratio), (2, Some(0.5)));
    assert_eq!(
        WindowCounts::default().tally(Denominator::All).negative_pct,
        None
    );
}

#[test]
fn the_last_hour_of_a_quarter_that_gave_back_a_dst_hour() {
    // 2010-12-31 23:00:01 in Berlin: Q4 began at CEST midnight, more than
    // 92 days ago, as the hour given back in October is part of it (the
    // proptest above once failed here).
    let now = DateTime::from_timestamp(1293832801, 0).unwrap();
    let q = Window::QuarterToDate.start(now, chrono_tz::Europe::Berlin);
    assert_eq!(q.to_rfc3339(), "2010-09-30T22:00:00+00:00");
    assert_eq!(now - q, Duration::days(92) + Duration::seconds(1));
}

#[test]
fn old_counts_fold_into_quarter_hours_and_calendar_windows_stay_exact() {
    let now = utc("2026-05-20T12:00:00Z");
    let mut c = Counters::starting_at(now);
    // Two months ago, 10:07 and 10:59 WIB; and yesterday to the second.
    for t in [
        "2026-03-20T03:07:00Z",
        "2026-03-20T03:59:59Z",
        "2026-05-19T12:00:30Z",
    ] {
        c.add(
            "k",
            MediaType::Online,
            Sentiment::Negative,
            Sentiment::Negative,
            utc(t).timestamp_millis(),
        );
    }
    assert_eq!(
        c.buckets(),
        3 + 3,
        "10:00–10:14 and 10:45–10:59 WIB, and a second; by media type, three quarter hours"
    );
    let q = c.window("k", Window::QuarterToDate, now, Jakarta);
    assert_eq!(
        q.negative, 1,
        "the quarter began on April 1: March is not in it"
    );
    assert_eq!(c.window("k", Window::YearToDate, now, Jakarta).negative, 3);
    // The rolling 24 h edge is exact to the second.
    let edge = utc("2026-05-19T12:00:30Z");
    assert_eq!(c.range("k", edge, now).negative, 1);
    assert_eq!(c.range("k", edge + Duration::seconds(1), now).negative, 0);
    // An override of an old article finds its bucket.
    c.reclassify(
        "k",
        MediaType::Online,
        Sentiment::Negative,
        Sentiment::Neutral,
        utc("2026-03-20T03:07:00Z").timestamp_millis(),
    );
    assert_eq!(c.window("k", Window::YearToDate, now, Jakarta).neutral, 1);
    // Time passes: yesterday's second folds into its quarter hour.
    c.prune(now + Duration::days(40), Jakarta);
    assert_eq!(
        c.window("k", Window::YearToDate, now + Duration::days(40), Jakarta)
            .total(),
        3
    );
}

#[test]
fn a_rebuild_reads_back_only_what_prune_keeps() {
    // 2026-05-20: the year began more than 31 days ago, so it bounds.
    let now = utc("2026-05-20T12:00:00Z");
    let from = Counters::windows_from_ms(now, Jakarta);
    assert_eq!(from, utc("2025-12-31T17:00:00Z").timestamp_millis());
    // 2026-01-10: 31 days ago is in the previous year, so it bounds.
    let early = utc("2026-01-10T00:00:00Z");
    assert_eq!(
        Counters::windows_from_ms(early, Jakarta),
        utc("2025-12-10T00:00:00Z").timestamp_millis()
    );
    // Totals and windows counted apart, as a rebuild does.
    let mut c = Counters::starting_at(now);
    c.add_total("k", MediaType::Online, Sentiment::Negative, 5);
    c.add_window("k", Sentiment::Neutral, from, 2);
    c.add_window("k", Sentiment::Negative, from - 1000, 7);
    c.prune(now, Jakarta);
    let year = c.window("k", Window::YearToDate, now, Jakarta);
    assert_eq!((year.negative, year.neutral), (0, 2), "older went");
    assert_eq!(
        c.totals(),
        [("k".into(), MediaType::Online, Sentiment::Negative, 5)]
    );
}

#[test]
fn calendar_windows_by_media_type_follow_overrides_and_month_edges() {
    let now = utc("2026-05-20T12:00:00Z");
    let mut c = Counters::starting_at(now);
    let at = |s: &str| utc(s).timestamp_millis();
    // 1 May 00:10 WIB is still 30 April in UTC: May's, in Jakarta.
    c.add(
        "k",
        MediaType::Tv,
        Sentiment::Negative,
        Sentiment::Negative,
        at("2026-04-30T17:10:00Z"),
    );
    c.add(
        "k",
        MediaType::Tv,
        Sentiment::Neutral,
        Sentiment::Neutral,
        at("2026-05-10T01:00:00Z"),
    );
    c.add(
        "k",
        MediaType::Print,
        Sentiment::Negative,
        Sentiment::Negative,
        at("2026-05-11T01:00:00Z"),
    );
    // 30 April 23:50 WIB: April's.
    c.add(
        "k",
        MediaType::Print,
        Sentiment::Negative,
        Sentiment::Negative,
        at("2026-04-30T16:50:00Z"),
    );
    let month = c
        .window_by_media("k", Window::MonthToDate, now, Jakarta)
        .unwrap();
    let get = |v: &[(MediaType, WindowCounts)], m| v.iter().find(|(k, _)| *k == m).map(|(_, c)| *c);
    assert_eq!(
        get(&month, MediaType::Tv).map(|c| (c.negative, c.neutral)),
        Some((1, 1))
    );
    assert_eq!(get(&month, MediaType::Print).map(|c| c.negative), Some(1));
    assert_eq!(get(&month, MediaType::Radio), None);
    let year = c
        .window_by_media("k", Window::YearToDate, now, Jakarta)
        .unwrap();
    assert_eq!(get(&year, MediaType::Print).map(|c| c.negative), Some(2));
    // The sum over media types is the window's count.
    let sum: u64 = month.iter().map(|(_, c)| c.total()).sum();
    assert_eq!(
        sum,
        c.window("k", Window::MonthToDate, now, Jakarta).total()
    );
    // An analyst's correction moves the media type's count too.
    c.reclassify(
        "k",
        MediaType::Tv,
        Sentiment::Negative,
        Sentiment::Positive,
        at("2026-04-30T17:10:00Z"),
    );
    let month = c
        .window_by_media("k", Window::MonthToDate, now, Jakarta)
        .unwrap();
    assert_eq!(
        get(&month, MediaType::Tv).map(|c| (c.negative, c.positive)),
        Some((0, 1))
    );
    // Rolling windows have no media breakdown.
    assert!(c
        .window_by_media("k", Window::Rolling24h, now, Jakarta)
        .is_none());
    // A new year forgets last year's quarter hours.
    c.prune(utc("2027-02-15T00:00:00Z"), Jakarta);
    let next = c
        .window_by_media(
            "k",
            Window::YearToDate,
            utc("2027-02-15T00:00:00Z"),
            Jakarta,
        )
        .unwrap();
    assert!(next.is_empty(), "{next:?}");
}
