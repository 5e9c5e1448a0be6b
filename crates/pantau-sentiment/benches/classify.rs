//! The lexicon stage's speed on realistic Indonesian news text: 2 KB
//! articles (the size of a news item with its body), scored the way the
//! classify stage scores them (targeted at the entity's mentions).

use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Bencher, Criterion, Throughput};
use pantau_sentiment::{compose, Classifier, Input};

/// Sentences in the register of Indonesian online news about a ministry.
const SENTENCES: &[&str] = &[
    "Kementerian Sosial menyalurkan bantuan sosial kepada ribuan keluarga penerima manfaat di Kabupaten Tirta Jaya pada Senin pagi.",
    "Warga mengeluhkan pencairan bansos yang terlambat hingga dua bulan dan data penerima yang dinilai tidak tepat sasaran.",
    "Menteri Sosial meninjau dapur umum di lokasi pengungsian dan memastikan bantuan logistik tersalurkan dengan cepat.",
    "Pemerintah daerah bersama pendamping sosial menggelar rapat koordinasi untuk memutakhirkan data penerima bantuan.",
    "Sejumlah keluarga mengaku sangat terbantu karena bantuan tersebut meringankan biaya sekolah anak-anak mereka.",
    "Aparat penegak hukum menemukan dugaan pungutan liar dalam penyaluran bantuan dan berjanji menindak tegas pelakunya.",
    "Harga beras di pasar tradisional terpantau stabil menjelang akhir pekan, menurut keterangan para pedagang setempat.",
    "Program Keluarga Harapan tahap ketiga dijadwalkan cair pekan depan bagi jutaan keluarga di seluruh Indonesia.",
    "Anggota Komisi VIII DPR mengkritik lambannya pemutakhiran data, namun mengapresiasi langkah cepat kementerian di lapangan.",
    "Banjir bandang yang melanda tiga kecamatan menewaskan lima warga dan merusak ratusan rumah, kata petugas BPBD.",
];

fn article(i: usize) -> (String, usize) {
    let mut body = String::with_capacity(2100);
    let mut k = i;
    while body.len() < 2000 {
        body.push_str(SENTENCES[k % SENTENCES.len()]);
        body.push(' ');
        k = k.wrapping_mul(31).wrapping_add(7);
    }
    compose(&format!("Kemensos dan bansos: laporan {i}"), &body, "")
}

fn bench(c: &mut Criterion) {
    let lexicons = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/lexicon");
    let classifier = Classifier::load(&lexicons).expect("config/lexicon");
    let articles: Vec<(String, usize)> = (0..64).map(article).collect();
    let mentions: Vec<Vec<std::ops::Range<usize>>> = articles
        .iter()
        .map(|(t, _)| {
            t.match_indices("Kemensos")
                .chain(t.match_indices("Kementerian Sosial"))
                .map(|(i, m)| i..i + m.len())
                .collect()
        })
        .collect();
    let bytes: usize = articles.iter().map(|(t, _)| t.len()).sum();
    // Scored the way the classify stage scores them.
    let targeted = |b: &mut Bencher| {
        b.iter(|| {
            for ((text, title_len), m) in articles.iter().zip(&mentions) {
                criterion::black_box(classifier.score(Input {
                    text,
                    title_len: *title_len,
                    mentions: m,
                }));
            }
        })
    };
    let mut g = c.benchmark_group("classify");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("targeted_2kb_x64", targeted);
    g.bench_function("whole_2kb_x64", |b| {
        b.iter_batched(
            || (),
            |_| {
                for (text, _) in &articles {
                    criterion::black_box(classifier.score(Input {
                        text,
                        title_len: 0,
                        mentions: &[],
                    }));
                }
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
    // The same targeted run counted in articles, for "articles/s".
    let mut g = c.benchmark_group("classify_articles");
    g.throughput(Throughput::Elements(articles.len() as u64));
    g.bench_function("targeted_2kb_x64", targeted);
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
