//! The PDF 2.0 standard security handler, revision 6 (ISO 32000-2, 7.6.4): the password
//! hash of algorithm 2.B, the /U /UE /O /OE /Perms entries of algorithms 8–10, and
//! AES-256-CBC for the strings and streams. Every key, salt and IV is derived from the
//! password and the document's /ID, never drawn at random (see `derive`).

use aes::cipher::block_padding::{NoPadding, Pkcs7};
use aes::cipher::{BlockCipherEncrypt, BlockModeEncrypt, KeyInit, KeyIvInit};
use aes::{Aes128, Aes256};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::Password;

type HmacSha256 = Hmac<Sha256>;

/// What the file grants to whoever opens it with the user password (table 22; bits
/// numbered from 1). Granted: print (3) and print at full quality (12), copy text (5),
/// add notes (6), fill in forms (9) and copy for accessibility (10, always: PDF/UA needs
/// it). Withheld: changing the document (4) and inserting, deleting or rotating pages
/// (11), so a compliant reader does not offer to edit a numbered copy. Copying is
/// granted because readers quote their briefing, and because some assistive software
/// still looks at bit 5 rather than bit 10. Bits 1–2 are 0, 7–8 and 13–32 are 1.
pub const PERMISSIONS: u32 =
    0xFFFF_F000 | 0xC0 | (1 << 2) | (1 << 4) | (1 << 5) | (1 << 8) | (1 << 9) | (1 << 11);

/// The metadata stream is encrypted too: screen readers open the document with the
/// password like any reader, and a personalised copy's XMP names its title and authors,
/// which an unopened file should not show.
pub const ENCRYPT_METADATA: bool = true;

/// The key every string and stream is encrypted with, and the key its IVs come from.
pub struct Keys {
    file: [u8; 32],
    iv: [u8; 32],
}

impl Keys {
    /// Encrypts the `ordinal`th string (or the stream) of object `object`: a 16-byte IV,
    /// then the data in AES-256-CBC with PKCS#7 padding (7.6.3, AESV3).
    pub fn encrypt(&self, object: u32, ordinal: u32, data: &[u8]) -> Vec<u8> {
        let mut mac = hmac(&self.iv, b"iv");
        mac.update(&object.to_be_bytes());
        mac.update(&ordinal.to_be_bytes());
        let tag = mac.finalize().into_bytes();
        let iv: [u8; 16] = first(&tag);
        let mut out = Vec::with_capacity(data.len() + 32);
        out.extend_from_slice(&iv);
        out.extend(
            cbc::Encryptor::<Aes256>::new(&self.file.into(), &iv.into())
                .encrypt_padded_vec::<Pkcs7>(data),
        );
        out
    }
}

/// The keys for a document whose first /ID string is `id`, and the body of its
/// /Encrypt dictionary.
pub fn security(password: &Password, id: &[u8]) -> (Keys, Vec<u8>) {
    // Deterministic on purpose: the same source and password must give the same bytes,
    // so the file key, the four salts, the /Perms filler and every IV are HMAC-SHA-256
    // outputs under a master key instead of random. That is sound because the master
    // key depends on the password and on the /ID, which is a hash of the unencrypted
    // file: two different documents (or passwords) never share a key, and within one
    // file every IV is unique (object number, string ordinal), so no IV is reused with
    // a key. The limit: identical content with the same password gives identical
    // ciphertext, so whoever holds two such files learns that they are equal (they are
    // also byte-identical, which is the point). The master key is itself a 2.B hash, so
    // guessing the password through it costs as much as guessing it through /U.
    let user = password.user.as_bytes();
    let master =
        hash_2b(user, &derive_plain(b"master salt", id), b"briefbook pdf master key v1");
    let file = derive(&master, b"file key", id);
    let salts = derive(&master, b"user salts", id);
    let (validation, key_salt) = (&salts[..8], &salts[8..16]);
    let mut u = hash_2b(user, validation, &[]).to_vec();
    u.extend_from_slice(validation);
    u.extend_from_slice(key_salt);
    let ue = wrap(&hash_2b(user, key_salt, &[]), &file);

    let owner = password.owner_bytes();
    let salts = derive(&master, b"owner salts", id);
    let (validation, key_salt) = (&salts[..8], &salts[8..16]);
    let mut o = hash_2b(&owner, validation, &u).to_vec();
    o.extend_from_slice(validation);
    o.extend_from_slice(key_salt);
    let oe = wrap(&hash_2b(&owner, key_salt, &u), &file);

    // Algorithm 10: P (little-endian, extended to 64 bits with ones), the metadata flag,
    // "adb", four filler bytes; one AES-256 block under the file key (ECB).
    let mut perms = [0xFFu8; 16];
    perms[..4].copy_from_slice(&PERMISSIONS.to_le_bytes());
    perms[8] = if ENCRYPT_METADATA { b'T' } else { b'F' };
    perms[9..12].copy_from_slice(b"adb");
    perms[12..].copy_from_slice(&derive(&master, b"perms filler", id)[..4]);
    let mut block = perms.into();
    Aes256::new(&file.into()).encrypt_block(&mut block);

    let mut dict = b"<</Filter/Standard/V 5/R 6/Length 256/CF<</StdCF<</Type/CryptFilter/CFM/AESV3/AuthEvent/DocOpen/Length 32>>>>/StmF/StdCF/StrF/StdCF".to_vec();
    for (key, value) in
        [("O", &o[..]), ("U", &u), ("OE", &oe), ("UE", &ue), ("Perms", &block)]
    {
        dict.push(b'/');
        dict.extend_from_slice(key.as_bytes());
        hex(&mut dict, value);
    }
    // P is a signed 32-bit integer in the file.
    dict.extend_from_slice(format!("/P {}", PERMISSIONS as i32).as_bytes());
    dict.extend_from_slice(format!("/EncryptMetadata {ENCRYPT_METADATA}>>").as_bytes());
    let iv = derive(&master, b"iv key", id);
    (Keys { file, iv }, dict)
}

/// Algorithm 2.B: the hash of a password with a salt and `udata` (empty for the user
/// password, the 48-byte /U for the owner's).
pub fn hash_2b(password: &[u8], salt: &[u8], udata: &[u8]) -> [u8; 32] {
    let mut k = Sha256::new()
        .chain_update(password)
        .chain_update(salt)
        .chain_update(udata)
        .finalize()
        .to_vec();
    // The initial hash is round 0; at least 64 more, then until E's last byte allows.
    let mut round = 0u32;
    loop {
        round += 1;
        let mut k1 = Vec::with_capacity(64 * (password.len() + k.len() + udata.len()));
        for _ in 0..64 {
            k1.extend_from_slice(password);
            k1.extend_from_slice(&k);
            k1.extend_from_slice(udata);
        }
        let key: [u8; 16] = first(&k);
        let iv: [u8; 16] = first(&k[16..]);
        let e = cbc::Encryptor::<Aes128>::new(&key.into(), &iv.into())
            .encrypt_padded_vec::<NoPadding>(&k1);
        // The first 16 bytes as a big-endian number mod 3 (256 ≡ 1 mod 3).
        k = match e[..16].iter().map(|&b| u32::from(b)).sum::<u32>() % 3 {
            0 => Sha256::digest(&e).to_vec(),
            1 => Sha384::digest(&e).to_vec(),
            _ => Sha512::digest(&e).to_vec(),
        };
        let last = u32::from(e[e.len() - 1]);
        if round >= 64 && last + 32 <= round {
            return first(&k);
        }
    }
}

/// AES-256-CBC with a zero IV and no padding (how /UE and /OE hold the file key).
fn wrap(key: &[u8; 32], data: &[u8; 32]) -> Vec<u8> {
    cbc::Encryptor::<Aes256>::new(&(*key).into(), &[0u8; 16].into())
        .encrypt_padded_vec::<NoPadding>(data)
}

/// HMAC-SHA-256 under `key` of a label and the /ID.
fn derive(key: &[u8], label: &[u8], id: &[u8]) -> [u8; 32] {
    let mut mac = hmac(key, label);
    mac.update(id);
    mac.finalize().into_bytes().into()
}

/// A salt for the master key's 2.B hash: SHA-256 of a label and the /ID.
fn derive_plain(label: &[u8], id: &[u8]) -> [u8; 16] {
    let digest = Sha256::new()
        .chain_update(b"briefbook pdf encryption v1\0")
        .chain_update(label)
        .chain_update([0])
        .chain_update(id)
        .finalize();
    first(&digest)
}

/// An HMAC-SHA-256 under `key` that has absorbed the domain and `label`.
fn hmac(key: &[u8], label: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length.
    let mut mac = HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(b"briefbook pdf encryption v1\0");
    mac.update(label);
    mac.update(&[0]);
    mac
}

/// The first `N` bytes of `bytes` (which has at least `N`).
fn first<const N: usize>(bytes: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&bytes[..N]);
    out
}

/// Appends `bytes` as a hex string.
pub fn hex(out: &mut Vec<u8>, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    out.reserve(bytes.len() * 2 + 2);
    out.push(b'<');
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 15)]);
    }
    out.push(b'>');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_grant_printing_copying_and_accessibility_but_not_changes() {
        let bit = |n: u32| PERMISSIONS & (1 << (n - 1)) != 0;
        assert!(bit(3) && bit(12) && bit(5) && bit(10));
        assert!(!bit(4) && !bit(11) && !bit(1) && !bit(2));
        assert_eq!(PERMISSIONS as i32, -1036);
    }

    #[test]
    fn hash_2b_ends_after_at_least_64_rounds_and_depends_on_every_input() {
        let a = hash_2b(b"secret", b"12345678", &[]);
        assert_eq!(a, hash_2b(b"secret", b"12345678", &[]));
        assert_ne!(a, hash_2b(b"secret", b"12345679", &[]));
        assert_ne!(a, hash_2b(b"secreT", b"12345678", &[]));
        assert_ne!(a, hash_2b(b"secret", b"12345678", &[0; 48]));
    }

    #[test]
    fn ivs_differ_between_objects_and_strings() {
        let password = Password::new("pw").unwrap();
        let (keys, _) = security(&password, b"0123456789abcdef");
        let a = keys.encrypt(1, 0, b"x");
        assert_eq!(a.len(), 32);
        assert_eq!(a, keys.encrypt(1, 0, b"x"));
        assert_ne!(a[..16], keys.encrypt(1, 1, b"x")[..16]);
        assert_ne!(a[..16], keys.encrypt(2, 0, b"x")[..16]);
    }
}
