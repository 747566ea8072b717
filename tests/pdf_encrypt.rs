//! PDF encryption (`export::pdf::encrypt`): the sample PDF protected with a password, as
//! qpdf, pdftotext and pypdf (PDF_ORACLES, set by scripts/test) read it.
//!
//! Set `BRIEFBOOK_PDF_OUT=/tmp/protected.pdf` to keep the protected sample for inspection
//! (its password is `PW` below).

mod harness;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use briefbook::export::pdf::encrypt::{protect, Password};
use harness::{build_sample, temp_dir, text, tool};

const PW: &str = "Zeta-7 copy 12";

/// The sample PDF, built once per test process.
fn sample() -> &'static [u8] {
    static PDF: OnceLock<Vec<u8>> = OnceLock::new();
    PDF.get_or_init(|| {
        let out = temp_dir();
        build_sample(out.path());
        std::fs::read(out.path().join("briefing.pdf")).unwrap()
    })
}

/// The sample protected with `PW`, written to a file that lives as long as the guard.
fn protected() -> (tempfile::TempDir, PathBuf, Vec<u8>) {
    let dir = temp_dir();
    let bytes = protect(sample(), &Password::new(PW).unwrap()).unwrap();
    let path = dir.path().join("protected.pdf");
    std::fs::write(&path, &bytes).unwrap();
    if let Some(keep) = std::env::var_os("BRIEFBOOK_PDF_OUT") {
        std::fs::write(keep, &bytes).unwrap();
    }
    (dir, path, bytes)
}

fn qpdf(args: &[&str], pdf: &Path) -> std::process::Output {
    let mut all = args.to_vec();
    all.push(pdf.to_str().unwrap());
    tool("qpdf", &all)
}

#[test]
fn qpdf_checks_the_protected_file_without_warnings() {
    let (_dir, path, _) = protected();
    let owner = String::from_utf8(Password::new(PW).unwrap().owner_bytes()).unwrap();
    for password in [PW, owner.as_str()] {
        let out = qpdf(&["--check", &format!("--password={password}")], &path);
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(0), "{all}");
        assert!(text(&out.stderr).is_empty(), "{all}");
        assert!(all.contains("No syntax or stream encoding errors found"), "{all}");
    }
}

#[test]
fn qpdf_reports_aes_256_revision_6_and_the_permissions() {
    let (_dir, path, _) = protected();
    let out = qpdf(&["--show-encryption", &format!("--password={PW}")], &path);
    let report = text(&out.stdout);
    assert!(out.status.success(), "{report}{}", text(&out.stderr));
    for line in [
        "R = 6",
        "P = -1036",
        "User password = Zeta-7 copy 12",
        "extract for accessibility: allowed",
        "extract for any purpose: allowed",
        "print low resolution: allowed",
        "print high resolution: allowed",
        "modify document assembly: not allowed",
        "modify other: not allowed",
        "stream encryption method: AESv3",
        "string encryption method: AESv3",
        "file encryption method: AESv3",
    ] {
        assert!(report.contains(line), "{line:?} missing from:\n{report}");
    }
    // The owner password is recognised as such.
    let owner = String::from_utf8(Password::new(PW).unwrap().owner_bytes()).unwrap();
    let out = qpdf(&["--show-encryption", &format!("--password={owner}")], &path);
    assert!(text(&out.stdout).contains("Supplied password is owner password"));
}

#[test]
fn without_the_password_or_with_a_wrong_one_the_file_does_not_open() {
    let (_dir, path, bytes) = protected();
    for args in [vec!["--check"], vec!["--check", "--password=Zeta-7 copy 13"]] {
        let out = qpdf(&args, &path);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("invalid password"), "{}", text(&out.stderr));
    }
    // Nothing of the text, the information dictionary or the XMP metadata is readable.
    let raw = String::from_utf8_lossy(&bytes);
    for clear in ["briefbook", "Kazakhstan", "x:xmpmeta", "(D:20"] {
        assert!(!raw.contains(clear), "{clear:?} is readable in the protected file");
    }
    let out = tool("pdftotext", &[path.to_str().unwrap(), "-"]);
    assert!(!out.status.success());
}

#[test]
fn pdftotext_with_the_password_reads_the_same_text() {
    let (dir, path, _) = protected();
    let clear = dir.path().join("clear.pdf");
    std::fs::write(&clear, sample()).unwrap();
    let expected = tool("pdftotext", &[clear.to_str().unwrap(), "-"]);
    let got = tool("pdftotext", &["-upw", PW, path.to_str().unwrap(), "-"]);
    assert!(got.status.success(), "{}", text(&got.stderr));
    assert!(text(&expected.stdout).contains("Kazakhstan"));
    assert!(text(&got.stdout) == text(&expected.stdout), "the text differs");
}

/// Every object of `pdf` as qpdf reads it (streams as their raw data, strings decrypted).
fn objects(pdf: &Path, password: &str) -> serde_json::Map<String, serde_json::Value> {
    let args = [
        "--json=2",
        "--json-key=qpdf",
        "--json-stream-data=inline",
        "--decode-level=none",
        password,
    ];
    let out = qpdf(&args, pdf);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["qpdf"][1].as_object().unwrap().clone()
}

#[test]
fn every_object_decrypts_to_the_original() {
    let (dir, path, _) = protected();
    let clear = dir.path().join("clear.pdf");
    std::fs::write(&clear, sample()).unwrap();
    let before = objects(&clear, "--password=");
    let mut after = objects(&path, &format!("--password={PW}"));
    let trailer = |o: &serde_json::Map<_, _>| o["trailer"]["value"].clone();
    let (old, new) = (trailer(&before), trailer(&after));
    assert_eq!(old["/ID"], new["/ID"], "the /ID stays as it was");
    let root = format!("obj:{}", old["/Root"].as_str().unwrap());
    let catalog = after[&root]["value"].as_object_mut().unwrap();
    let extensions =
        catalog.remove("/Extensions").expect("the catalog declares /Extensions");
    assert_eq!(extensions["/ADBE"]["/ExtensionLevel"], 8);
    // The /Encrypt dictionary took the old cross-reference stream's number.
    let encrypt = format!("obj:{}", new["/Encrypt"].as_str().unwrap());
    assert_eq!(after[&encrypt]["value"]["/CF"]["/StdCF"]["/CFM"], "/AESV3");
    let mut same = 0;
    for (key, value) in &before {
        if key != "trailer" && *key != encrypt {
            assert!(after.get(key) == Some(value), "{key} differs after decryption");
            same += 1;
        }
    }
    assert!(same > 100, "only {same} objects compared");
    assert_eq!(after.len(), before.len() + 1);
}

#[test]
fn the_same_file_and_password_give_the_same_bytes_and_another_password_others() {
    let a = protect(sample(), &Password::new(PW).unwrap()).unwrap();
    let b = protect(sample(), &Password::new(PW).unwrap()).unwrap();
    assert!(a == b, "protecting twice gave different bytes");
    let c = protect(sample(), &Password::new("Zeta-7 copy 13").unwrap()).unwrap();
    assert!(a != c);
    let owner = Password::new(PW).unwrap().with_owner("registry").unwrap();
    let d = protect(sample(), &owner).unwrap();
    assert!(a != d);
    // Only the /Encrypt dictionary differs with another owner password.
    assert_eq!(a.len(), d.len());
}

#[test]
fn an_encrypted_or_foreign_file_is_refused_with_an_error() {
    let password = Password::new(PW).unwrap();
    let once = protect(sample(), &password).unwrap();
    let e = protect(&once, &password).unwrap_err();
    assert!(e.message.contains("could not be encrypted"), "{}", e.message);
    assert!(!e.message.contains(PW));
    assert!(protect(b"not a pdf", &password).is_err());
    assert!(protect(&sample()[..sample().len() / 2], &password).is_err());
}

#[test]
fn pypdf_decrypts_the_file() {
    let oracles = std::env::var("PDF_ORACLES")
        .expect("PDF_ORACLES must point at pypdf (run scripts/test)");
    let python = format!("{oracles}/venv/bin/python");
    let (dir, path, _) = protected();
    let clear = dir.path().join("clear.pdf");
    std::fs::write(&clear, sample()).unwrap();
    let title = "import sys, pypdf\nprint(pypdf.PdfReader(sys.argv[1]).metadata.title)";
    let title = text(&tool(&python, &["-c", title, clear.to_str().unwrap()]).stdout);
    let owner = String::from_utf8(Password::new(PW).unwrap().owner_bytes()).unwrap();
    let script = "import sys, pypdf\n\
        r = pypdf.PdfReader(sys.argv[1])\n\
        assert r.is_encrypted\n\
        print(int(r.decrypt(sys.argv[2])))\n\
        print(r.metadata.title)\n\
        print(r.xmp_metadata is not None)\n\
        print(len(r.pages))\n\
        print(r.pages[0].extract_text()[:200])\n\
        r2 = pypdf.PdfReader(sys.argv[1])\n\
        print(int(r2.decrypt(sys.argv[3])))\n\
        r3 = pypdf.PdfReader(sys.argv[1])\n\
        print(int(r3.decrypt('wrong')))\n";
    let out = tool(&python, &["-c", script, path.to_str().unwrap(), PW, &owner]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    // 1 = user password, 2 = owner password, 0 = not decrypted.
    assert_eq!(lines[0], "1", "{stdout}");
    assert!(!title.trim().is_empty());
    assert_eq!(lines[1], title.trim(), "{stdout}");
    assert_eq!(lines[2], "True", "{stdout}");
    assert!(lines[3].parse::<usize>().unwrap() > 1, "{stdout}");
    assert!(stdout.contains("Kazakhstan"), "{stdout}");
    assert_eq!(lines[lines.len() - 2], "2", "{stdout}");
    assert_eq!(lines[lines.len() - 1], "0", "{stdout}");
}
