// Tests for the crypto.* builtins: digest and HMAC known-answer vectors,
// hmac.equal, X.509 certificate parsing (fields as Go's encoding/json renders
// x509.Certificate), chain verification with and without options, CSRs, TLS
// key pairs, private keys (JWK and Go JSON forms) and the error messages for
// bad input. The PEM fixtures were made once with the openssl CLI: an EC P-256
// root -> intermediate -> leaf chain (leaf valid 2026-11-26T20:34:43Z to
// 2051-07-18T20:34:43Z, with SANs, EKUs, AIA, CRL DP and a policy), an
// unrelated root, RSA-1024 / EC / Ed25519 keys and a CSR with SANs.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <string>
#include <vector>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "tests/policy/builtins/builtin_test_util.h"
#include "tests/policy/builtins/limits_util.h"

namespace {

using wartburg::Value;
using namespace wartburg::builtins::test_util::plain;

// ---- fixtures (openssl CLI output) ----
const char* const kRoot = R"(-----BEGIN CERTIFICATE-----
MIIBxDCCAWqgAwIBAgIBATAKBggqhkjOPQQDAjA4MRYwFAYDVQQKDA1XYXJ0YnVy
ZyBUZXN0MR4wHAYDVQQDDBVXYXJ0YnVyZyBUZXN0IFJvb3QgQ0EwIBcNMjYxMTI2
MjAzNDQzWhgPMjEyNjExMDIyMDM0NDNaMDgxFjAUBgNVBAoMDVdhcnRidXJnIFRl
c3QxHjAcBgNVBAMMFVdhcnRidXJnIFRlc3QgUm9vdCBDQTBZMBMGByqGSM49AgEG
CCqGSM49AwEHA0IABO+7JX9bGAdT40OHwhOKoTctgJKyOR4bIhSpkAhN+xBv3X02
9tmHdOD03FyqGFtEWNWBbMrTqCD5vfgk7RYQ7MyjYzBhMB0GA1UdDgQWBBTJ+Muq
imp/U5lwB8M7gN6Z0Ka1xjAfBgNVHSMEGDAWgBTJ+Muqimp/U5lwB8M7gN6Z0Ka1
xjAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBBjAKBggqhkjOPQQDAgNI
ADBFAiEAz9hwJZi0Mu7zyrfbOF9/BMjN5RlFcdQySRgffRg5i7ACIEEU2n/v0BWF
xjAOZ5CAyg/D3px5nD4QZWE1pYfFT5OT
-----END CERTIFICATE-----)";
const char* const kIntermediate = R"(-----BEGIN CERTIFICATE-----
MIIBzzCCAXWgAwIBAgIBAjAKBggqhkjOPQQDAjA4MRYwFAYDVQQKDA1XYXJ0YnVy
ZyBUZXN0MR4wHAYDVQQDDBVXYXJ0YnVyZyBUZXN0IFJvb3QgQ0EwIBcNMjYxMTI2
MjAzNDQzWhgPMjEyNTA2MjAyMDM0NDNaMEAxFjAUBgNVBAoMDVdhcnRidXJnIFRl
c3QxJjAkBgNVBAMMHVdhcnRidXJnIFRlc3QgSW50ZXJtZWRpYXRlIENBMFkwEwYH
KoZIzj0CAQYIKoZIzj0DAQcDQgAEJoNoWJwalMkFltUHjvWPAVLr8Pc4UKOOj7PV
TLKUEnuSYhqHVixzullpN7Z3KsS+WjAYxoRALfYw7RA33UkOlqNmMGQwEgYDVR0T
AQH/BAgwBgEB/wIBADAOBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFAvOAgorixee
ASvfpzBsNYQxAvQ8MB8GA1UdIwQYMBaAFMn4y6qKan9TmXAHwzuA3pnQprXGMAoG
CCqGSM49BAMCA0gAMEUCIEz+GJ324Rq1QU0OwN6awMmmy36PR/+N519U7LWt5V4M
AiEA5VUpMADwbwrdn5Bt0fBZQP5EUV8IfOrrpj9Hk54mH5I=
-----END CERTIFICATE-----)";
const char* const kLeaf = R"(-----BEGIN CERTIFICATE-----
MIIDVjCCAvygAwIBAgIKASNFZ4mrze8BIzAKBggqhkjOPQQDAjBAMRYwFAYDVQQK
DA1XYXJ0YnVyZyBUZXN0MSYwJAYDVQQDDB1XYXJ0YnVyZyBUZXN0IEludGVybWVk
aWF0ZSBDQTAgFw0yNjExMjYyMDM0NDNaGA8yMDUxMDcxODIwMzQ0M1owczELMAkG
A1UEBhMCREUxEjAQBgNVBAgMCVRodXJpbmdpYTERMA8GA1UEBwwIRWlzZW5hY2gx
ETAPBgNVBAoMCFdhcnRidXJnMQ8wDQYDVQQLDAZQb2xpY3kxGTAXBgNVBAMMEGxl
YWYuZXhhbXBsZS5jb20wWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARV4XaHFLmV
DbiN9Jex+nOT3dTG/kd1qZovp9Ph3HohConL5I42mcF+wssZPKg9n92tCuNm2uuh
QCJlEsPPWDyNo4IBpzCCAaMwCQYDVR0TBAIwADAOBgNVHQ8BAf8EBAMCBaAwHQYD
VR0lBBYwFAYIKwYBBQUHAwEGCCsGAQUFBwMCMIGABgNVHREEeTB3ghBsZWFmLmV4
YW1wbGUuY29tghEqLnN2Yy5leGFtcGxlLmNvbYEPb3BzQGV4YW1wbGUuY29thwQK
AQIDhxAgAQ24AAAAAAAAAAAAAAABhidzcGlmZmU6Ly9leGFtcGxlLmNvbS9ucy9k
ZWZhdWx0L3NhL2xlYWYwHQYDVR0OBBYEFOTu2ZEKFfFkfO4wmu3nyiUMbmHlMB8G
A1UdIwQYMBaAFAvOAgorixeeASvfpzBsNYQxAvQ8MC8GA1UdHwQoMCYwJKAioCCG
Hmh0dHA6Ly9jcmwuZXhhbXBsZS5jb20vaW50LmNybDBeBggrBgEFBQcBAQRSMFAw
IwYIKwYBBQUHMAGGF2h0dHA6Ly9vY3NwLmV4YW1wbGUuY29tMCkGCCsGAQUFBzAC
hh1odHRwOi8vY2EuZXhhbXBsZS5jb20vaW50LmNydDATBgNVHSAEDDAKMAgGBmeB
DAECAjAKBggqhkjOPQQDAgNIADBFAiBPE9xA9tzN6vogVdCob6ZVc8UmZiSPL0SH
qiQeZDahhQIhAK9HwB149J2LR2BqGETHJ6lOSTnO9um+jfRRmsBFJfwf
-----END CERTIFICATE-----)";
const char* const kOtherRoot = R"(-----BEGIN CERTIFICATE-----
MIIBgTCCASegAwIBAgIUIQMnylYH1QhIQkjCqTFji7xidqIwCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKT3RoZXIgUm9vdDAgFw0yNjExMjYyMDM0NTBaGA8yMTI2MTEw
MjIwMzQ1MFowFTETMBEGA1UEAwwKT3RoZXIgUm9vdDBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABD5Y+5ODxRZ9Yd47KpzvWJXOZhtnxFCOChIItoZ4pQUzmXVFifUg
sV86fFcqgmwrejM/i8DNvy6OoJ0Q+X7eGe2jUzBRMB0GA1UdDgQWBBQckWLJka9z
4RLiTU0rRjofpMJAtzAfBgNVHSMEGDAWgBQckWLJka9z4RLiTU0rRjofpMJAtzAP
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIAUCZ/+XoghtDX5/5HGT
5G0iUcSGRaRpuGH3Bi7urKemAiEAlCzv7Qb0IurEnJ8RCFZNjHDLGRqMDSGvGnIm
XwyhNyg=
-----END CERTIFICATE-----)";
const char* const kLeafKey = R"(-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIFKOnAZY+N1AFD7e2Wr0NZxE3rTQu4sN+ccfNjvy+4hUoAoGCCqGSM49
AwEHoUQDQgAEVeF2hxS5lQ24jfSXsfpzk93Uxv5HdamaL6fT4dx6IQqJy+SONpnB
fsLLGTyoPZ/drQrjZtrroUAiZRLDz1g8jQ==
-----END EC PRIVATE KEY-----)";
const char* const kIntermediateKey = R"(-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIKStv91LCOyBd/qBpddpqU/gdi8JVPPItr31iyzWnzgwoAoGCCqGSM49
AwEHoUQDQgAEJoNoWJwalMkFltUHjvWPAVLr8Pc4UKOOj7PVTLKUEnuSYhqHVixz
ullpN7Z3KsS+WjAYxoRALfYw7RA33UkOlg==
-----END EC PRIVATE KEY-----)";
const char* const kRsaPkcs1 = R"(-----BEGIN RSA PRIVATE KEY-----
MIICXAIBAAKBgQD5196X1ium+/E8vDga0PL7zOsf6sipEnVzOrR+tCURs/bZx88b
gNDetXS1imGO45dcGETFfBCeEnrUx21Yr5a6YARkE25WIX+o6mL8FMulJYU8JrIZ
c2jV7azAMda/jeT8Vk36jjgn+ms+affFFbVijXHSegvWcZlLrnM4pPibBQIDAQAB
AoGBAOi82RRkZEGnjK/hPfptDwzVdWpEEiy9jz+KPj2Rnr6BAMEayql6NBhivJeo
kvzCsmsOCHJXAjveRyITrJ7i4upf9t7xZTgHQYxCT/5Clj5BN+p3DgktZbOh0V4B
/yZ2OHyOXiOIdCHRSeGQj9/1nw16mf4qmT8G1KCKjzxx9Vk5AkEA/2OsI/vdEhZC
rDAsrwrNu+9r/ILn2EtBpJ0LwKDTdzkCgNCOmICLx2FvZR/zh6Jqw9aJYBnO3m0r
cuWn6B/fbwJBAPpwzV7LgdJ6CDAs0dowtvm3T3gEmxYPF2C7gSLIcSkvcupnMp5O
MJok4H6imGChpNzSips6EmBgWglI6sd9cssCQDtuY3nAO9LgsUVGtK9LUVMhxTxu
7isMYEtBbKG4C13cO3PklLpyd5S/XN/ojpCKwFOwkil1+AkU2J6VSPygpisCQAvO
2cAIdFyKKGytEE/rUBVCEVslTHKjz4ReEt6i+MLqW861gut34E7EQll2LR0RQgav
Xp2nBUrKADTD3V3+ijUCQA0mGdM9Hkf5URUpkeA24pHUgBYKlNd5pkdHlxUsDQFb
nDg3+Uc2wDJ5of6Y4z2FstmHsQ2DB1WJCuC4f3riekw=
-----END RSA PRIVATE KEY-----)";
const char* const kRsaPkcs8 = R"(-----BEGIN PRIVATE KEY-----
MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBAPnX3pfWK6b78Ty8
OBrQ8vvM6x/qyKkSdXM6tH60JRGz9tnHzxuA0N61dLWKYY7jl1wYRMV8EJ4SetTH
bVivlrpgBGQTblYhf6jqYvwUy6UlhTwmshlzaNXtrMAx1r+N5PxWTfqOOCf6az5p
98UVtWKNcdJ6C9ZxmUuuczik+JsFAgMBAAECgYEA6LzZFGRkQaeMr+E9+m0PDNV1
akQSLL2PP4o+PZGevoEAwRrKqXo0GGK8l6iS/MKyaw4IclcCO95HIhOsnuLi6l/2
3vFlOAdBjEJP/kKWPkE36ncOCS1ls6HRXgH/JnY4fI5eI4h0IdFJ4ZCP3/WfDXqZ
/iqZPwbUoIqPPHH1WTkCQQD/Y6wj+90SFkKsMCyvCs2772v8gufYS0GknQvAoNN3
OQKA0I6YgIvHYW9lH/OHomrD1olgGc7ebSty5afoH99vAkEA+nDNXsuB0noIMCzR
2jC2+bdPeASbFg8XYLuBIshxKS9y6mcynk4wmiTgfqKYYKGk3NKKmzoSYGBaCUjq
x31yywJAO25jecA70uCxRUa0r0tRUyHFPG7uKwxgS0FsobgLXdw7c+SUunJ3lL9c
3+iOkIrAU7CSKXX4CRTYnpVI/KCmKwJAC87ZwAh0XIoobK0QT+tQFUIRWyVMcqPP
hF4S3qL4wupbzrWC63fgTsRCWXYtHRFCBq9enacFSsoANMPdXf6KNQJADSYZ0z0e
R/lRFSmR4DbikdSAFgqU13mmR0eXFSwNAVucODf5RzbAMnmh/pjjPYWy2YexDYMH
VYkK4Lh/euJ6TA==
-----END PRIVATE KEY-----)";
const char* const kEd25519 = R"(-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIH0+sicYQyejsfU98xHaZT2Yosyh9pd7DpaR4Vpt8tmb
-----END PRIVATE KEY-----)";
const char* const kCsr = R"(-----BEGIN CERTIFICATE REQUEST-----
MIIBsDCCARkCAQAwPTELMAkGA1UEBhMCVVMxFDASBgNVBAoMC0V4YW1wbGUgT3Jn
MRgwFgYDVQQDDA9jc3IuZXhhbXBsZS5jb20wgZ8wDQYJKoZIhvcNAQEBBQADgY0A
MIGJAoGBAPnX3pfWK6b78Ty8OBrQ8vvM6x/qyKkSdXM6tH60JRGz9tnHzxuA0N61
dLWKYY7jl1wYRMV8EJ4SetTHbVivlrpgBGQTblYhf6jqYvwUy6UlhTwmshlzaNXt
rMAx1r+N5PxWTfqOOCf6az5p98UVtWKNcdJ6C9ZxmUuuczik+JsFAgMBAAGgMzAx
BgkqhkiG9w0BCQ4xJDAiMCAGA1UdEQQZMBeCD2Nzci5leGFtcGxlLmNvbYcEwKgA
ATANBgkqhkiG9w0BAQsFAAOBgQDvd20kRcFQJ8KmSGVQ8wO+eu9kVzg1Ahra8zbv
gvcWkbH8529sC8dFcw9i1IbIAoa2R6uSunFfizQGqLmB7v9Hrzs4um3LXNWh4k4K
EIKwK3Dqd1XrHiodVf8tOhBmYRUcWqWUutGvzE7Wx5HNBOWj9yrN4QnwHR38Ld0n
wEaDpw==
-----END CERTIFICATE REQUEST-----)";
// A leaf from the intermediate with extended key usage clientAuth only.
const char* const kClientLeaf = R"(-----BEGIN CERTIFICATE-----
MIIBuDCCAV6gAwIBAgIBBzAKBggqhkjOPQQDAjBAMRYwFAYDVQQKDA1XYXJ0YnVy
ZyBUZXN0MSYwJAYDVQQDDB1XYXJ0YnVyZyBUZXN0IEludGVybWVkaWF0ZSBDQTAg
Fw0yNjExMjYyMDQyMTdaGA8yMDUxMDcxODIwNDIxN1owETEPMA0GA1UEAwwGY2xp
ZW50MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEgmXxLg1yBnsAr6NqmxhkIAd5
XSF48Ro2b+KLtwa5g15t2HQ0EPb9C2l14KK6kZWN4L8Xt36lrhLbxMehU8aCb6N2
MHQwEwYDVR0lBAwwCgYIKwYBBQUHAwIwHQYDVR0RBBYwFIISY2xpZW50LmV4YW1w
bGUuY29tMB0GA1UdDgQWBBTaM1Ex1ZRbqWP0z9Lrq8hfiMsmTzAfBgNVHSMEGDAW
gBQLzgIKK4sXngEr36cwbDWEMQL0PDAKBggqhkjOPQQDAgNIADBFAiBiR8bZXdra
CofaZPdSAvXz5rjmLu9XontoFoBsVKmXzAIhANsBXo31P1h4jqyVifF+HGpLbPAD
FJ9pB9Oqv80gkXeO
-----END CERTIFICATE-----)";
// A self-signed CA with name constraints, subject serialNumber / street /
// postalCode and an unknown critical extension (1.2.3.4).
const char* const kConstrainedCa = R"(-----BEGIN CERTIFICATE-----
MIICRTCCAeugAwIBAgIBCTAKBggqhkjOPQQDAjBOMRcwFQYDVQQDDA5Db25zdHJh
aW5lZCBDQTELMAkGA1UEBRMCNDIxFjAUBgNVBAkMDVNjaGxvc3NiZXJnIDExDjAM
BgNVBBEMBTk5ODE3MCAXDTI2MTEyNjIwNDQ0NVoYDzIxMjYxMTAyMjA0NDQ1WjBO
MRcwFQYDVQQDDA5Db25zdHJhaW5lZCBDQTELMAkGA1UEBRMCNDIxFjAUBgNVBAkM
DVNjaGxvc3NiZXJnIDExDjAMBgNVBBEMBTk5ODE3MFkwEwYHKoZIzj0CAQYIKoZI
zj0DAQcDQgAEPlj7k4PFFn1h3jsqnO9Ylc5mG2fEUI4KEgi2hnilBTOZdUWJ9SCx
Xzp8VyqCbCt6Mz+LwM2/Lo6gnRD5ft4Z7aOBtzCBtDAdBgNVHQ4EFgQUHJFiyZGv
c+ES4k1NK0Y6H6TCQLcwHwYDVR0jBBgwFoAUHJFiyZGvc+ES4k1NK0Y6H6TCQLcw
EgYDVR0TAQH/BAgwBgEB/wIBAjBPBgNVHR4BAf8ERTBDoBswDYILZXhhbXBsZS5j
b20wCocICgAAAP8AAAChJDARgQ9iYWQuZXhhbXBsZS5jb20wD4YNLmV2aWwuZXhh
bXBsZTANBgMqAwQBAf8EAwwBeDAKBggqhkjOPQQDAgNIADBFAiAi6YSCF2XmQukn
D79chdZq/dOmpRdyxS7w2LcQWGq75QIhAJdC5G05qRpvKX0JeGp8W7Lqt5FQ5wAb
4C88ncRirvdR
-----END CERTIFICATE-----)";

// Leaf validity (seconds since the epoch) and its serial number.
constexpr int64_t kLeafNotBefore = 1795725283;  // 2026-11-26T20:34:43Z
constexpr int64_t kLeafNotAfter = 2573325283;   // 2051-07-18T20:34:43Z

std::string join(std::vector<const char*> parts) {
  std::string out;
  for (const char* p : parts) out += std::string(p) + "\n";
  return out;
}

std::string b64(const std::string& s) { return call("base64.encode", {S(s)}).str(); }

// The base64 body of a PEM block (the DER as standard base64).
std::string pem_body(const std::string& pem) {
  std::string out;
  size_t pos = 0;
  while (pos < pem.size()) {
    size_t nl = pem.find('\n', pos);
    std::string line = pem.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (line.rfind("-----", 0) != 0) out += line;
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return out;
}

const Value& at(const Value& v, std::string_view key) {
  static const Value undefined;
  const Value* f = v.find(key);
  return f ? *f : undefined;
}

const Value& at(const Value& v, size_t i) { return v.items().at(i); }

std::vector<std::string> common_names(const Value& certs) {
  std::vector<std::string> out;
  for (const Value& c : certs.items()) out.push_back(at(at(c, "Subject"), "CommonName").str());
  return out;
}

Value verify_opts(const std::string& chain, const char* opts) {
  return call("crypto.x509.parse_and_verify_certificates_with_options", {S(chain), J(opts)});
}

bool verified(const std::string& chain, const char* opts) { return at(verify_opts(chain, opts), 0).is_true(); }

std::string ns(int64_t secs, int64_t extra_ns = 0) { return std::to_string(secs * 1000000000 + extra_ns); }

// ---- digests and HMACs ----

TEST(CryptoDigest, KnownVectors) {
  EXPECT_EQ(call("crypto.md5", {S("")}).str(), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(call("crypto.md5", {S("abc")}).str(), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(call("crypto.sha1", {S("")}).str(), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(call("crypto.sha1", {S("abc")}).str(), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(call("crypto.sha256", {S("")}).str(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(call("crypto.sha256", {S("abc")}).str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CryptoDigest, OperandMustBeString) {
  EXPECT_EQ(error_of("crypto.sha256", {J("1")}), "operand 1 must be string but got number");
  EXPECT_EQ(error_of("crypto.hmac.sha256", {S("x"), J("[]")}), "operand 2 must be string but got array");
}

TEST(CryptoHmac, Rfc4231AndRfc2202Vectors) {
  Value msg = S("what do ya want for nothing?");
  Value key = S("Jefe");
  EXPECT_EQ(call("crypto.hmac.md5", {msg, key}).str(), "750c783e6ab0b503eaa86e310a5db738");
  EXPECT_EQ(call("crypto.hmac.sha1", {msg, key}).str(), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(call("crypto.hmac.sha256", {msg, key}).str(),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(call("crypto.hmac.sha512", {msg, key}).str(),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcae"
            "ab1a34d4a6b4b636e070a38bce737");
  // OPA's conformance vector ("foo" keyed with "bar").
  EXPECT_EQ(call("crypto.hmac.sha256", {S("foo"), S("bar")}).str(),
            "147933218aaabc0b8b10a2b3a5c34684c8d94341bcf10a4736dc7270f7741851");
  // Empty key and message are fine.
  EXPECT_EQ(call("crypto.hmac.sha256", {S(""), S("")}).str(),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(CryptoHmac, Equal) {
  EXPECT_TRUE(call("crypto.hmac.equal", {S("31b6db9e5eb4addb"), S("31b6db9e5eb4addb")}).is_true());
  EXPECT_TRUE(call("crypto.hmac.equal", {S("31b6db9e5eb4addb"), S("31b6db9e5eb4addc")}).is_false());
  EXPECT_TRUE(call("crypto.hmac.equal", {S("31b6db9e5eb4addb42f1"), S("31b6db9e5eb4addb")}).is_false());
  EXPECT_TRUE(call("crypto.hmac.equal", {S(""), S("")}).is_true());
}

// ---- crypto.x509.parse_certificates ----

TEST(CryptoX509Parse, LeafFields) {
  Value certs = call("crypto.x509.parse_certificates", {S(kLeaf)});
  ASSERT_EQ(certs.size(), 1u);
  const Value& c = at(certs, 0);
  EXPECT_EQ(at(c, "Version"), J("3"));
  EXPECT_EQ(at(c, "SerialNumber"), J("5373003642731685151011"));
  const Value& subject = at(c, "Subject");
  EXPECT_EQ(at(subject, "CommonName"), S("leaf.example.com"));
  EXPECT_EQ(at(subject, "Country"), J(R"(["DE"])"));
  EXPECT_EQ(at(subject, "Province"), J(R"(["Thuringia"])"));
  EXPECT_EQ(at(subject, "Locality"), J(R"(["Eisenach"])"));
  EXPECT_EQ(at(subject, "Organization"), J(R"(["Wartburg"])"));
  EXPECT_EQ(at(subject, "OrganizationalUnit"), J(R"(["Policy"])"));
  EXPECT_EQ(at(subject, "StreetAddress"), Value::null());
  EXPECT_EQ(at(subject, "SerialNumber"), S(""));
  ASSERT_EQ(at(subject, "Names").size(), 6u);
  EXPECT_EQ(at(at(subject, "Names"), 0), J(R"({"Type": [2, 5, 4, 6], "Value": "DE"})"));
  EXPECT_EQ(at(at(c, "Issuer"), "CommonName"), S("Wartburg Test Intermediate CA"));
  EXPECT_EQ(at(c, "NotBefore"), S("2026-11-26T20:34:43Z"));
  EXPECT_EQ(at(c, "NotAfter"), S("2051-07-18T20:34:43Z"));
  EXPECT_EQ(at(c, "DNSNames"), J(R"(["leaf.example.com", "*.svc.example.com"])"));
  EXPECT_EQ(at(c, "EmailAddresses"), J(R"(["ops@example.com"])"));
  EXPECT_EQ(at(c, "IPAddresses"), J(R"(["10.1.2.3", "2001:db8::1"])"));
  EXPECT_EQ(at(c, "URIStrings"), J(R"(["spiffe://example.com/ns/default/sa/leaf"])"));
  const Value& uri = at(at(c, "URIs"), 0);
  EXPECT_EQ(at(uri, "Scheme"), S("spiffe"));
  EXPECT_EQ(at(uri, "Host"), S("example.com"));
  EXPECT_EQ(at(uri, "Path"), S("/ns/default/sa/leaf"));
  EXPECT_EQ(at(c, "IsCA"), Value::boolean(false));
  EXPECT_EQ(at(c, "BasicConstraintsValid"), Value::boolean(true));
  EXPECT_EQ(at(c, "MaxPathLen"), J("-1"));
  EXPECT_EQ(at(c, "KeyUsage"), J("5"));          // DigitalSignature | KeyEncipherment
  EXPECT_EQ(at(c, "ExtKeyUsage"), J("[1, 2]"));  // ServerAuth, ClientAuth
  EXPECT_EQ(at(c, "UnknownExtKeyUsage"), Value::null());
  EXPECT_EQ(at(c, "PublicKeyAlgorithm"), J("3"));   // ECDSA
  EXPECT_EQ(at(c, "SignatureAlgorithm"), J("10"));  // ECDSAWithSHA256
  EXPECT_EQ(at(at(c, "PublicKey"), "X"),
            J("38844950766997090776795515300261938107726657523124176629351188837177331687690"));
  EXPECT_EQ(at(c, "SubjectKeyId"), S("5O7ZkQoV8WR87jCa7efKJQxuYeU="));
  EXPECT_EQ(at(c, "AuthorityKeyId"), S("C84CCiuLF54BK9+nMGw1hDEC9Dw="));
  EXPECT_EQ(at(c, "OCSPServer"), J(R"(["http://ocsp.example.com"])"));
  EXPECT_EQ(at(c, "IssuingCertificateURL"), J(R"(["http://ca.example.com/int.crt"])"));
  EXPECT_EQ(at(c, "CRLDistributionPoints"), J(R"(["http://crl.example.com/int.crl"])"));
  EXPECT_EQ(at(c, "PolicyIdentifiers"), J("[[2, 23, 140, 1, 2, 2]]"));
  EXPECT_EQ(at(c, "Raw"), S(pem_body(kLeaf)));
  EXPECT_EQ(at(c, "Extensions").size(), 9u);
  EXPECT_EQ(at(at(at(c, "Extensions"), 1), "Id"), J("[2, 5, 29, 15]"));
  EXPECT_EQ(at(at(at(c, "Extensions"), 1), "Critical"), Value::boolean(true));
  EXPECT_EQ(at(c, "UnhandledCriticalExtensions"), Value::null());
  EXPECT_EQ(at(c, "PermittedDNSDomains"), Value::null());
}

TEST(CryptoX509Parse, CaFieldsAndNoSans) {
  Value certs = call("crypto.x509.parse_certificates", {S(kIntermediate)});
  const Value& c = at(certs, 0);
  EXPECT_EQ(at(c, "IsCA"), Value::boolean(true));
  EXPECT_EQ(at(c, "MaxPathLen"), J("0"));
  EXPECT_EQ(at(c, "MaxPathLenZero"), Value::boolean(true));
  EXPECT_EQ(at(c, "KeyUsage"), J("96"));  // CertSign | CRLSign
  EXPECT_EQ(at(c, "DNSNames"), Value::null());
  EXPECT_EQ(at(c, "URIStrings"), Value::null());
  EXPECT_EQ(at(c, "ExtKeyUsage"), Value::null());
}

TEST(CryptoX509Parse, NameConstraintsAndUnhandledExtensions) {
  Value certs = call("crypto.x509.parse_certificates", {S(kConstrainedCa)});
  const Value& c = at(certs, 0);
  EXPECT_EQ(at(at(c, "Subject"), "SerialNumber"), S("42"));
  EXPECT_EQ(at(at(c, "Subject"), "StreetAddress"), J(R"(["Schlossberg 1"])"));
  EXPECT_EQ(at(at(c, "Subject"), "PostalCode"), J(R"(["99817"])"));
  EXPECT_EQ(at(c, "MaxPathLen"), J("2"));
  EXPECT_EQ(at(c, "PermittedDNSDomainsCritical"), Value::boolean(true));
  EXPECT_EQ(at(c, "PermittedDNSDomains"), J(R"(["example.com"])"));
  EXPECT_EQ(at(c, "PermittedIPRanges"), J(R"([{"IP": "10.0.0.0", "Mask": "/wAAAA=="}])"));
  EXPECT_EQ(at(c, "ExcludedEmailAddresses"), J(R"(["bad.example.com"])"));
  EXPECT_EQ(at(c, "ExcludedURIDomains"), J(R"([".evil.example"])"));
  EXPECT_EQ(at(c, "UnhandledCriticalExtensions"), J("[[1, 2, 3, 4]]"));
}

TEST(CryptoX509Parse, ChainPemBase64AndDer) {
  std::string chain = join({kRoot, kIntermediate, kLeaf});
  std::vector<std::string> want = {"Wartburg Test Root CA", "Wartburg Test Intermediate CA", "leaf.example.com"};
  EXPECT_EQ(common_names(call("crypto.x509.parse_certificates", {S(chain)})), want);
  EXPECT_EQ(common_names(call("crypto.x509.parse_certificates", {S(b64(chain))})), want);
  // base64 of one DER certificate, and of concatenated DER certificates.
  EXPECT_EQ(common_names(call("crypto.x509.parse_certificates", {S(pem_body(kLeaf))})),
            std::vector<std::string>{"leaf.example.com"});
  std::string der =
      call("base64.decode", {S(pem_body(kRoot))}).str() + call("base64.decode", {S(pem_body(kLeaf))}).str();
  EXPECT_EQ(common_names(call("crypto.x509.parse_certificates", {S(b64(der))})),
            (std::vector<std::string>{"Wartburg Test Root CA", "leaf.example.com"}));
}

TEST(CryptoX509Parse, Errors) {
  EXPECT_EQ(error_of("crypto.x509.parse_certificates", {S("YmFkc3RyaW5n")}), "x509: malformed certificate");
  EXPECT_EQ(error_of("crypto.x509.parse_certificates", {S("not base64!")}), "illegal base64 data at input byte 3");
  EXPECT_EQ(error_of("crypto.x509.parse_certificates", {S(join({kLeaf, kLeafKey}))}),
            "PEM block type is 'EC PRIVATE KEY', expected CERTIFICATE");
  // A PEM certificate whose body is not a certificate.
  EXPECT_EQ(error_of("crypto.x509.parse_certificates",
                     {S("-----BEGIN CERTIFICATE-----\nYmFkc3RyaW5n\n-----END CERTIFICATE-----\n")}),
            "x509: malformed certificate");
  // No complete PEM block: no certificates.
  EXPECT_EQ(call("crypto.x509.parse_certificates", {S("-----BEGIN CERTIFICATE-----\nabc")}), J("[]"));
  EXPECT_EQ(error_of("crypto.x509.parse_certificates", {J("{}")}), "operand 1 must be string but got object");
}

// ---- chain verification ----

TEST(CryptoX509Verify, RootFirstLeafLast) {
  Value r = call("crypto.x509.parse_and_verify_certificates", {S(join({kRoot, kIntermediate, kLeaf}))});
  ASSERT_TRUE(at(r, 0).is_true());
  // The verified chain comes back leaf first.
  EXPECT_EQ(common_names(at(r, 1)),
            (std::vector<std::string>{"leaf.example.com", "Wartburg Test Intermediate CA", "Wartburg Test Root CA"}));
  EXPECT_EQ(at(at(at(r, 1), 0), "URIStrings"), J(R"(["spiffe://example.com/ns/default/sa/leaf"])"));
  Value b = call("crypto.x509.parse_and_verify_certificates", {S(b64(join({kRoot, kIntermediate, kLeaf})))});
  EXPECT_TRUE(at(b, 0).is_true());
  // Root and intermediate alone form a valid chain too.
  EXPECT_TRUE(at(call("crypto.x509.parse_and_verify_certificates", {S(join({kRoot, kIntermediate}))}), 0).is_true());
}

TEST(CryptoX509Verify, Failures) {
  Value invalid = J("[false, []]");
  auto verify = [](const std::string& s) { return call("crypto.x509.parse_and_verify_certificates", {S(s)}); };
  EXPECT_EQ(verify(join({kLeaf, kIntermediate, kRoot})), invalid);       // wrong order
  EXPECT_EQ(verify(join({kRoot, kLeaf})), invalid);                      // missing intermediate
  EXPECT_EQ(verify(join({kOtherRoot, kIntermediate, kLeaf})), invalid);  // wrong root
  EXPECT_EQ(verify(kLeaf), invalid);                                     // a single certificate
  EXPECT_EQ(verify("YmFkc3RyaW5n"), invalid);                            // not a certificate
  EXPECT_EQ(verify("%%%"), invalid);                                     // not base64
}

TEST(CryptoX509Verify, Options) {
  std::string chain = join({kRoot, kIntermediate, kLeaf});
  EXPECT_TRUE(verified(chain, "{}"));
  EXPECT_TRUE(verified(chain, R"({"DNSName": "leaf.example.com"})"));
  EXPECT_TRUE(verified(chain, R"({"DNSName": "api.svc.example.com"})"));
  EXPECT_FALSE(verified(chain, R"({"DNSName": "a.b.svc.example.com"})"));
  EXPECT_FALSE(verified(chain, R"({"DNSName": "other.example.com"})"));
  EXPECT_TRUE(verified(chain, R"({"DNSName": "10.1.2.3"})"));
  EXPECT_FALSE(verified(chain, R"({"DNSName": "10.1.2.4"})"));
  EXPECT_TRUE(verified(chain, R"({"KeyUsages": ["KeyUsageClientAuth"]})"));
  EXPECT_TRUE(verified(chain, R"({"KeyUsages": ["KeyUsageServerAuth", "KeyUsageCodeSigning"]})"));
  EXPECT_FALSE(verified(chain, R"({"KeyUsages": ["KeyUsageCodeSigning"]})"));
  EXPECT_TRUE(verified(chain, R"({"KeyUsages": ["KeyUsageCodeSigning", "KeyUsageAny"]})"));
  EXPECT_TRUE(verified(chain, R"({"MaxConstraintComparisons": 10})"));

  // Validity: NotBefore and NotAfter themselves are inside the period (Go's semantics).
  std::string t = "{\"CurrentTime\": ";
  EXPECT_TRUE(verified(chain, (t + ns(kLeafNotBefore) + "}").c_str()));
  EXPECT_FALSE(verified(chain, (t + ns(kLeafNotBefore, -1) + "}").c_str()));
  EXPECT_TRUE(verified(chain, (t + ns(kLeafNotAfter) + "}").c_str()));
  EXPECT_FALSE(verified(chain, (t + ns(kLeafNotAfter, 1) + "}").c_str()));
  EXPECT_FALSE(verified(chain, (t + "0}").c_str()));

  // The options variant reports certificates without URIStrings, as OPA does.
  Value r = verify_opts(chain, "{}");
  EXPECT_FALSE(at(at(r, 1), 0).find("URIStrings"));
  EXPECT_EQ(common_names(at(r, 1)).front(), "leaf.example.com");
  // Unparseable input is [false, []] even with bad options.
  EXPECT_EQ(verify_opts("YmFkc3RyaW5n", R"({"bogus": 1})"), J("[false, []]"));
}

TEST(CryptoX509Verify, ExtendedKeyUsageDefaultsToServerAuth) {
  std::string chain = join({kRoot, kIntermediate, kClientLeaf});
  EXPECT_EQ(call("crypto.x509.parse_and_verify_certificates", {S(chain)}), J("[false, []]"));
  EXPECT_FALSE(verified(chain, "{}"));
  EXPECT_TRUE(verified(chain, R"({"KeyUsages": ["KeyUsageClientAuth"]})"));
  EXPECT_TRUE(verified(chain, R"({"KeyUsages": ["KeyUsageAny"]})"));
  EXPECT_FALSE(verified(chain, R"({"KeyUsages": ["KeyUsageClientAuth"], "DNSName": "leaf.example.com"})"));
  EXPECT_TRUE(verified(chain, R"({"KeyUsages": ["KeyUsageClientAuth"], "DNSName": "CLIENT.example.com"})"));
}

TEST(CryptoX509Verify, OptionErrors) {
  std::string chain = join({kRoot, kIntermediate, kLeaf});
  auto err = [&](const char* opts) {
    return error_of("crypto.x509.parse_and_verify_certificates_with_options", {S(chain), J(opts)});
  };
  EXPECT_EQ(err(R"({"DNSName": 1})"), "'DNSName' should be a string");
  EXPECT_EQ(err(R"({"CurrentTime": "now"})"), "'CurrentTime' should be a number");
  EXPECT_EQ(err(R"({"CurrentTime": 1.5})"), "'CurrentTime' should be a valid int64 number");
  EXPECT_EQ(err(R"({"MaxConstraintComparisons": "x"})"), "'MaxConstraintComparisons' should be a number");
  EXPECT_EQ(err(R"({"KeyUsages": "KeyUsageAny"})"), "'KeyUsages' should be an Array or Set");
  EXPECT_EQ(err(R"({"KeyUsages": ["1", "KeyUsageAny", "Bogus", "KeyUsageServerAuth"]})"),
            "invalid entries for 'KeyUsages' found: [1 Bogus]");
  EXPECT_EQ(err(R"({"InvalidKey": "x"})"), "invalid key option");
  EXPECT_EQ(error_of("crypto.x509.parse_and_verify_certificates_with_options", {S(chain), S("{}")}),
            "operand 2 must be object but got string");
}

// ---- CSRs ----

TEST(CryptoX509Csr, Fields) {
  for (const std::string& input : {std::string(kCsr), b64(kCsr), pem_body(kCsr)}) {
    Value csr = call("crypto.x509.parse_certificate_request", {S(input)});
    EXPECT_EQ(at(at(csr, "Subject"), "CommonName"), S("csr.example.com"));
    EXPECT_EQ(at(at(csr, "Subject"), "Organization"), J(R"(["Example Org"])"));
    EXPECT_EQ(at(csr, "DNSNames"), J(R"(["csr.example.com"])"));
    EXPECT_EQ(at(csr, "IPAddresses"), J(R"(["192.168.0.1"])"));
    EXPECT_EQ(at(csr, "Version"), J("0"));
    EXPECT_EQ(at(csr, "PublicKeyAlgorithm"), J("1"));  // RSA
    EXPECT_EQ(at(csr, "SignatureAlgorithm"), J("4"));  // SHA256WithRSA
    EXPECT_EQ(at(at(csr, "PublicKey"), "E"), J("65537"));
    EXPECT_EQ(at(at(at(csr, "Extensions"), 0), "Id"), J("[2, 5, 29, 17]"));
    EXPECT_EQ(at(csr, "Raw"), S(pem_body(kCsr)));
  }
}

TEST(CryptoX509Csr, Errors) {
  EXPECT_EQ(error_of("crypto.x509.parse_certificate_request", {S("foobar")}), "illegal base64 data at input byte 4");
  EXPECT_EQ(error_of("crypto.x509.parse_certificate_request", {S(b64(kLeaf))}),
            "invalid PEM-encoded certificate signing request");
  EXPECT_EQ(error_of("crypto.x509.parse_certificate_request", {S("YmFkc3RyaW5n")}),
            "asn1: structure error: malformed certificate request");
}

// ---- TLS key pairs ----

TEST(CryptoX509KeyPair, EcPair) {
  Value kp = call("crypto.x509.parse_keypair", {S(kLeaf), S(kLeafKey)});
  EXPECT_EQ(at(kp, "Certificate"), Value::array({S(pem_body(kLeaf))}));
  EXPECT_EQ(at(at(at(kp, "Leaf"), "Subject"), "CommonName"), S("leaf.example.com"));
  EXPECT_EQ(at(at(kp, "PrivateKey"), "D"),
            J("37341622710586012237193747847361750754524801539985608063433296839235467970644"));
  EXPECT_EQ(at(kp, "OCSPStaple"), Value::null());
  // base64 of the PEM texts, and base64 DER for the certificate.
  EXPECT_EQ(call("crypto.x509.parse_keypair", {S(b64(kLeaf)), S(b64(kLeafKey))}), kp);
  EXPECT_EQ(call("crypto.x509.parse_keypair", {S(pem_body(kLeaf)), S(kLeafKey)}), kp);
  // The full chain is kept in Certificate.
  Value chain = call("crypto.x509.parse_keypair", {S(join({kLeaf, kIntermediate})), S(kLeafKey)});
  EXPECT_EQ(at(chain, "Certificate").size(), 2u);
}

TEST(CryptoX509KeyPair, Errors) {
  auto err = [](const std::string& cert, const std::string& key) {
    return error_of("crypto.x509.parse_keypair", {S(cert), S(key)});
  };
  EXPECT_EQ(err(kLeaf, kIntermediateKey), "tls: private key does not match public key");
  EXPECT_EQ(err(kLeaf, kRsaPkcs1), "tls: private key type does not match public key type");
  EXPECT_EQ(err(kLeaf, kRoot), "tls: found a certificate rather than a key in the PEM for the private key");
  EXPECT_EQ(err(kLeafKey, kLeafKey),
            "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs "
            "may have been switched");
  EXPECT_EQ(err("-----BEGIN nothing", kLeafKey), "tls: failed to find any PEM data in certificate input");
  EXPECT_EQ(err(kLeaf, "-----BEGIN PRIVATE KEY-----\nYmFkc3RyaW5n\n-----END PRIVATE KEY-----\n"),
            "tls: failed to parse private key");
  EXPECT_EQ(err("%%%", kLeafKey), "illegal base64 data at input byte 0");
}

// ---- private keys ----

TEST(CryptoKeys, RsaPrivateKeyAsJwk) {
  Value want = J(R"({
    "kty": "RSA", "e": "AQAB",
    "n": "-dfel9YrpvvxPLw4GtDy-8zrH-rIqRJ1czq0frQlEbP22cfPG4DQ3rV0tYphjuOXXBhExXwQnhJ61MdtWK-WumAEZBNuViF_qOpi_BTLpSWFPCayGXNo1e2swDHWv43k_FZN-o44J_prPmn3xRW1Yo1x0noL1nGZS65zOKT4mwU",
    "d": "6LzZFGRkQaeMr-E9-m0PDNV1akQSLL2PP4o-PZGevoEAwRrKqXo0GGK8l6iS_MKyaw4IclcCO95HIhOsnuLi6l_23vFlOAdBjEJP_kKWPkE36ncOCS1ls6HRXgH_JnY4fI5eI4h0IdFJ4ZCP3_WfDXqZ_iqZPwbUoIqPPHH1WTk",
    "p": "_2OsI_vdEhZCrDAsrwrNu-9r_ILn2EtBpJ0LwKDTdzkCgNCOmICLx2FvZR_zh6Jqw9aJYBnO3m0rcuWn6B_fbw",
    "q": "-nDNXsuB0noIMCzR2jC2-bdPeASbFg8XYLuBIshxKS9y6mcynk4wmiTgfqKYYKGk3NKKmzoSYGBaCUjqx31yyw",
    "dp": "O25jecA70uCxRUa0r0tRUyHFPG7uKwxgS0FsobgLXdw7c-SUunJ3lL9c3-iOkIrAU7CSKXX4CRTYnpVI_KCmKw",
    "dq": "C87ZwAh0XIoobK0QT-tQFUIRWyVMcqPPhF4S3qL4wupbzrWC63fgTsRCWXYtHRFCBq9enacFSsoANMPdXf6KNQ",
    "qi": "DSYZ0z0eR_lRFSmR4DbikdSAFgqU13mmR0eXFSwNAVucODf5RzbAMnmh_pjjPYWy2YexDYMHVYkK4Lh_euJ6TA"})");
  EXPECT_EQ(call("crypto.x509.parse_rsa_private_key", {S(kRsaPkcs1)}), want);
  EXPECT_EQ(call("crypto.x509.parse_rsa_private_key", {S(kRsaPkcs8)}), want);
  EXPECT_EQ(call("crypto.x509.parse_rsa_private_key", {S(b64(kRsaPkcs1))}), want);
}

TEST(CryptoKeys, EcPrivateKeyAsJwk) {
  EXPECT_EQ(call("crypto.x509.parse_rsa_private_key", {S(kLeafKey)}), J(R"({
    "kty": "EC", "crv": "P-256",
    "x": "VeF2hxS5lQ24jfSXsfpzk93Uxv5HdamaL6fT4dx6IQo",
    "y": "icvkjjaZwX7Cyxk8qD2f3a0K42ba66FAImUSw89YPI0",
    "d": "Uo6cBlj43UAUPt7ZavQ1nETetNC7iw35xx82O_L7iFQ"})"));
}

TEST(CryptoKeys, RsaPrivateKeyErrors) {
  EXPECT_EQ(error_of("crypto.x509.parse_rsa_private_key", {S("")}), "input PEM data was empty");
  EXPECT_EQ(error_of("crypto.x509.parse_rsa_private_key", {S("invalid")}), "illegal base64 data at input byte 4");
  EXPECT_EQ(error_of("crypto.x509.parse_rsa_private_key", {S(kEd25519)}), "invalid key type ed25519.PrivateKey");
  // PEM data without keys: null.
  EXPECT_EQ(call("crypto.x509.parse_rsa_private_key", {S(kLeaf)}), Value::null());
}

TEST(CryptoKeys, ParsePrivateKeys) {
  Value keys = call("crypto.parse_private_keys", {S(join({kRoot, kLeafKey, kRsaPkcs1, kEd25519}))});
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(at(at(keys, 0), "D"), J("37341622710586012237193747847361750754524801539985608063433296839235467970644"));
  EXPECT_EQ(at(at(keys, 0), "Curve"), J("{}"));
  const Value& rsa = at(keys, 1);
  EXPECT_EQ(at(rsa, "E"), J("65537"));
  EXPECT_EQ(at(rsa, "N"),
            J("1754458897623389872802809726174174251110474604924369196242218446922856569557175618270238009657779041"
              "1446030816396966964864197644392656376614641774584142257979547012138164783645427228392536637956919080"
              "8117204192669781860924016731690210600052534755502285763106371468507424993890014598061010094386007736"
              "237726469"));
  EXPECT_EQ(at(at(rsa, "Primes"), 0),
            J("1337582535376729038338183670973688119314416036442134813895083518708880165516051809815694029696009103"
              "8002713323386368553746155629980394812899994716902252399"));
  EXPECT_EQ(at(at(rsa, "Precomputed"), "CRTValues"), J("[]"));
  EXPECT_TRUE(at(keys, 2).is_string());  // ed25519.PrivateKey: seed || public key, base64
  EXPECT_EQ(call("base64.decode", {at(keys, 2)}).str().size(), 64u);

  EXPECT_EQ(call("crypto.parse_private_keys", {S(b64(kRsaPkcs8))}).size(), 1u);
  EXPECT_EQ(call("crypto.parse_private_keys", {S("")}), Value::null());
  EXPECT_EQ(call("crypto.parse_private_keys", {S("nothingtoseehere")}), J("[]"));
  EXPECT_EQ(call("crypto.parse_private_keys", {S(join({kRoot, kLeaf}))}), J("[]"));
  EXPECT_EQ(error_of("crypto.parse_private_keys",
                     {S("-----BEGIN PRIVATE KEY-----\nxxxxxxxxxxxxxxxx\n-----END PRIVATE KEY-----\n")}),
            "asn1: structure error: malformed PKCS #8 private key");
  EXPECT_EQ(error_of("crypto.parse_private_keys", {S(std::string("-----BEGIN RSA PRIVATE KEY-----\n") +
                                                     pem_body(kRsaPkcs8) + "\n-----END RSA PRIVATE KEY-----\n")}),
            "x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)");
}

}  // namespace

// ---- hostile operands ----

namespace {

// A self-signed certificate (EC P-256) whose serial number has `bits` bits.
std::string cert_with_serial(int bits) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  BIGNUM* bn = BN_new();
  BN_rand(bn, bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY);
  ASN1_INTEGER* serial = BN_to_ASN1_INTEGER(bn, nullptr);
  X509_set_serialNumber(x, serial);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("big"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509_gmtime_adj(X509_getm_notBefore(x), 0);
  X509_gmtime_adj(X509_getm_notAfter(x), 3600);
  X509_set_pubkey(x, key);
  X509_sign(x, key, EVP_sha256());
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, x);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  ASN1_INTEGER_free(serial);
  BN_free(bn);
  X509_free(x);
  EVP_PKEY_free(key);
  return pem;
}

}  // namespace

// A serial number of 2 million bits was converted to decimal (quadratic),
// then parsed as a number (quadratic again): seconds per certificate.
TEST(CryptoHostile, HugeIntegersInCertificatesAreRefused) {
  std::string pem = cert_with_serial(2000000);
  std::string err;
  EXPECT_LT(wartburg::builtins::test_util::seconds_of(
                [&] { err = error_of("crypto.x509.parse_certificates", {Value::string(pem)}); }),
            1.0);
  EXPECT_EQ(err, "x509: integer of 2000000 bits is too large");
  Value ok = call("crypto.x509.parse_certificates", {Value::string(cert_with_serial(160))});
  EXPECT_EQ(wartburg::number_text(*ok.items()[0].find("SerialNumber")).size() >= 48, true);
}

// Each bogus BEGIN line searched the rest of the input for an END line.
TEST(CryptoHostile, ManyBogusPemBlocksAreLinear) {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "-----BEGIN X-----\n";
  std::string with_end = text + "\n-----END Y-----\n";
  for (const std::string* t : {&text, &with_end}) {
    std::string err;
    EXPECT_LT(wartburg::builtins::test_util::seconds_of(
                  [&] { err = error_of("crypto.x509.parse_certificates", {Value::string(*t)}); }),
              1.0);
  }
  // a real block after the bogus ones is still found
  Value certs = call("crypto.x509.parse_certificates", {Value::string(text + kRoot)});
  EXPECT_EQ(certs.size(), 1u);
}
