//! Compliance controls as policies cite them ("SOC 2 CC6.1"), split into a
//! framework and a control id, with titles for the controls the bundled
//! packs cite.
//!
//! Policies write a control as one string, framework first. The compliance
//! mapping groups by framework, so the known framework prefixes are listed
//! here; a string with no known prefix is kept whole under "Other". Titles
//! are short paraphrases for reviewers, not the frameworks' official text.

/// Known framework prefixes, longest first where one extends another, with
/// the framework name shown and whether the prefix stays in the control id
/// (HIPAA controls read "45 CFR 164.312(b)").
const FRAMEWORKS: [(&str, &str, bool); 16] = [
    ("SOC 2 ", "SOC 2", false),
    ("ISO/IEC 27001:2022 ", "ISO/IEC 27001:2022", false),
    ("NIST SP 800-53 Rev. 5 ", "NIST SP 800-53 Rev. 5", false),
    ("NIST SP 800-218 ", "NIST SP 800-218 (SSDF)", false),
    ("OWASP ", "OWASP Top 10 for LLM Applications", false),
    ("PCI DSS v4.0 ", "PCI DSS v4.0", false),
    ("HIPAA 45 CFR ", "HIPAA", true),
    ("45 CFR ", "HIPAA", true),
    ("EU AI Act ", "EU AI Act", false),
    ("DORA ", "DORA", false),
    ("CIS Controls v8 ", "CIS Controls v8", false),
    ("COBIT 2019 ", "COBIT 2019", false),
    ("COSO 2013 ", "COSO 2013", false),
    ("SOX ", "SOX", false),
    ("PCAOB ", "PCAOB", false),
    ("NIST ", "NIST", false),
];

/// The framework under which unrecognised control strings are listed.
pub(crate) const OTHER_FRAMEWORK: &str = "Other";

/// Splits a cited control into (framework, control id).
pub(crate) fn split(control: &str) -> (&'static str, String) {
    for (prefix, framework, keep_cfr) in FRAMEWORKS {
        if let Some(rest) = control.strip_prefix(prefix) {
            let rest = rest.trim();
            if rest.is_empty() {
                break;
            }
            let id = if keep_cfr {
                format!("45 CFR {}", rest.trim_start_matches("45 CFR ").trim())
            } else {
                rest.to_string()
            };
            return (framework, id);
        }
    }
    (OTHER_FRAMEWORK, control.trim().to_string())
}

/// A short title for a control, when known.
pub(crate) fn title(framework: &str, id: &str) -> Option<&'static str> {
    TITLES
        .iter()
        .find(|(f, i, _)| *f == framework && *i == id)
        .map(|(_, _, t)| *t)
}

const SOC2: &str = "SOC 2";
const ISO: &str = "ISO/IEC 27001:2022";
const N53: &str = "NIST SP 800-53 Rev. 5";
const SSDF: &str = "NIST SP 800-218 (SSDF)";
const OWASP: &str = "OWASP Top 10 for LLM Applications";
const PCI: &str = "PCI DSS v4.0";
const HIPAA: &str = "HIPAA";
const AIA: &str = "EU AI Act";
const DORA: &str = "DORA";
const CIS: &str = "CIS Controls v8";
const COBIT: &str = "COBIT 2019";
const COSO: &str = "COSO 2013";

/// (framework, control id, title) for the controls the bundled packs cite.
const TITLES: &[(&str, &str, &str)] = &[
    (SOC2, "CC6.1", "Logical access security"),
    (SOC2, "CC6.2", "User registration and authorization"),
    (SOC2, "CC6.3", "Role-based access changes and removal"),
    (
        SOC2,
        "CC6.6",
        "Protection against threats from outside the system boundary",
    ),
    (
        SOC2,
        "CC6.7",
        "Restriction of data transmission and movement",
    ),
    (
        SOC2,
        "CC6.8",
        "Prevention of unauthorized or malicious software",
    ),
    (
        SOC2,
        "CC7.2",
        "Monitoring for anomalies and security events",
    ),
    (SOC2, "CC8.1", "Change management"),
    (ISO, "A.5.3", "Segregation of duties"),
    (ISO, "A.5.14", "Information transfer"),
    (ISO, "A.5.17", "Authentication information"),
    (ISO, "A.5.18", "Access rights"),
    (
        ISO,
        "A.5.19",
        "Information security in supplier relationships",
    ),
    (
        ISO,
        "A.5.21",
        "Information security in the ICT supply chain",
    ),
    (
        ISO,
        "A.5.23",
        "Information security for use of cloud services",
    ),
    (ISO, "A.5.34", "Privacy and protection of PII"),
    (ISO, "A.8.2", "Privileged access rights"),
    (ISO, "A.8.3", "Information access restriction"),
    (ISO, "A.8.4", "Access to source code"),
    (ISO, "A.8.9", "Configuration management"),
    (ISO, "A.8.10", "Information deletion"),
    (ISO, "A.8.12", "Data leakage prevention"),
    (ISO, "A.8.13", "Information backup"),
    (ISO, "A.8.15", "Logging"),
    (ISO, "A.8.16", "Monitoring activities"),
    (ISO, "A.8.18", "Use of privileged utility programs"),
    (
        ISO,
        "A.8.19",
        "Installation of software on operational systems",
    ),
    (ISO, "A.8.20", "Networks security"),
    (ISO, "A.8.23", "Web filtering"),
    (ISO, "A.8.24", "Use of cryptography"),
    (ISO, "A.8.25", "Secure development life cycle"),
    (ISO, "A.8.28", "Secure coding"),
    (
        ISO,
        "A.8.31",
        "Separation of development, test and production environments",
    ),
    (ISO, "A.8.32", "Change management"),
    (N53, "AC-2", "Account management"),
    (N53, "AC-3", "Access enforcement"),
    (N53, "AC-5", "Separation of duties"),
    (N53, "AC-6", "Least privilege"),
    (N53, "AC-6(5)", "Least privilege: privileged accounts"),
    (N53, "AU-9", "Protection of audit information"),
    (N53, "AU-12", "Audit record generation"),
    (N53, "CM-2", "Baseline configuration"),
    (N53, "CM-3", "Configuration change control"),
    (N53, "CM-5", "Access restrictions for change"),
    (N53, "CM-7", "Least functionality"),
    (N53, "CP-9", "System backup"),
    (N53, "IA-5", "Authenticator management"),
    (N53, "SA-9", "External system services"),
    (N53, "SC-7", "Boundary protection"),
    (N53, "SC-28", "Protection of information at rest"),
    (N53, "SI-7", "Software, firmware and information integrity"),
    (N53, "SI-10", "Information input validation"),
    (N53, "SR-3", "Supply chain controls and processes"),
    (SSDF, "PO.3.2", "Secure the toolchain"),
    (
        SSDF,
        "PO.5.1",
        "Separate and protect development environments",
    ),
    (
        SSDF,
        "PS.1.1",
        "Protect all forms of code from unauthorized access",
    ),
    (
        SSDF,
        "PS.2.1",
        "Make integrity verification information available",
    ),
    (SSDF, "PS.3.1", "Archive the files of each release"),
    (
        SSDF,
        "PS.3.2",
        "Keep provenance data for release components",
    ),
    (
        SSDF,
        "PW.4.1",
        "Acquire well-secured third-party components",
    ),
    (
        SSDF,
        "PW.4.4",
        "Verify third-party components meet requirements",
    ),
    (SSDF, "PW.7.2", "Review and analyze code"),
    (SSDF, "PW.8.2", "Test executable code"),
    (SSDF, "RV.1.1", "Gather information about vulnerabilities"),
    (SSDF, "RV.1.2", "Review code for undetected vulnerabilities"),
    (OWASP, "LLM01:2025", "Prompt injection"),
    (OWASP, "LLM02:2025", "Sensitive information disclosure"),
    (OWASP, "LLM03:2025", "Supply chain"),
    (OWASP, "LLM04:2025", "Data and model poisoning"),
    (OWASP, "LLM05:2025", "Improper output handling"),
    (OWASP, "LLM06:2025", "Excessive agency"),
    (PCI, "3.2.1", "Keep account data storage to a minimum"),
    (PCI, "3.4.1", "Mask PAN when displayed"),
    (PCI, "3.5.1", "Render stored PAN unreadable"),
    (PCI, "3.6.1", "Protect keys for stored account data"),
    (PCI, "6.2.3", "Review custom software before release"),
    (PCI, "6.5.1", "Change procedures for production"),
    (PCI, "6.5.3", "Separate pre-production from production"),
    (PCI, "6.5.4", "Separate production and pre-production roles"),
    (PCI, "7.2.1", "Define an access control model"),
    (PCI, "7.2.2", "Least-privilege access by job function"),
    (
        PCI,
        "7.2.6",
        "Restrict access to cardholder data repositories",
    ),
    (PCI, "8.6.3", "Protect system account passwords"),
    (PCI, "10.2.1", "Enable audit logs"),
    (PCI, "10.3.2", "Protect audit logs from modification"),
    (PCI, "10.5.1", "Retain audit log history"),
    (PCI, "11.5.2", "Change-detection mechanism"),
    (
        HIPAA,
        "45 CFR 164.308(a)(1)(ii)(D)",
        "Information system activity review",
    ),
    (
        HIPAA,
        "45 CFR 164.308(a)(4)",
        "Information access management",
    ),
    (HIPAA, "45 CFR 164.310(d)(1)", "Device and media controls"),
    (HIPAA, "45 CFR 164.312(a)(1)", "Access control"),
    (HIPAA, "45 CFR 164.312(b)", "Audit controls"),
    (HIPAA, "45 CFR 164.312(c)(1)", "Integrity"),
    (HIPAA, "45 CFR 164.312(e)(1)", "Transmission security"),
    (
        HIPAA,
        "45 CFR 164.312(e)(2)(ii)",
        "Encryption in transmission",
    ),
    (HIPAA, "45 CFR 164.502(b)", "Minimum necessary"),
    (HIPAA, "45 CFR 164.514(b)", "De-identification"),
    (AIA, "Art. 9", "Risk management system"),
    (AIA, "Art. 10", "Data and data governance"),
    (AIA, "Art. 11", "Technical documentation"),
    (AIA, "Art. 12", "Record-keeping"),
    (AIA, "Art. 13", "Transparency to deployers"),
    (AIA, "Art. 14", "Human oversight"),
    (AIA, "Art. 15", "Accuracy, robustness and cybersecurity"),
    (AIA, "Art. 26", "Obligations of deployers"),
    (AIA, "Art. 50", "Transparency obligations"),
    (DORA, "Art. 9", "Protection and prevention"),
    (DORA, "Art. 12", "Backup, restoration and recovery"),
    (DORA, "Art. 28", "ICT third-party risk"),
    (CIS, "3.3", "Configure data access control lists"),
    (CIS, "5.4", "Restrict administrator privileges"),
    (CIS, "6.1", "Establish an access granting process"),
    (CIS, "6.2", "Establish an access revoking process"),
    (CIS, "6.8", "Define and maintain role-based access control"),
    (
        COBIT,
        "BAI06.01",
        "Evaluate, prioritize and authorize change requests",
    ),
    (COBIT, "BAI06.02", "Manage emergency changes"),
    (COBIT, "BAI06.04", "Close and document changes"),
    (COSO, "Principle 10", "Control activities"),
    (COSO, "Principle 11", "General controls over technology"),
    (COSO, "Principle 13", "Relevant, quality information"),
    (
        "SOX",
        "Section 404",
        "Management assessment of internal controls",
    ),
    (
        "PCAOB",
        "AS 2201",
        "Audit of internal control over financial reporting",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_framework_prefixes() {
        let cases = [
            ("SOC 2 CC6.1", "SOC 2", "CC6.1"),
            ("ISO/IEC 27001:2022 A.8.12", "ISO/IEC 27001:2022", "A.8.12"),
            ("NIST SP 800-53 Rev. 5 AC-6(5)", N53, "AC-6(5)"),
            ("NIST SP 800-218 PO.5.1", SSDF, "PO.5.1"),
            ("NIST CSF 2.0 PR.AA-01", "NIST", "CSF 2.0 PR.AA-01"),
            ("OWASP LLM06:2025", OWASP, "LLM06:2025"),
            ("PCI DSS v4.0 10.2.1", PCI, "10.2.1"),
            ("45 CFR 164.312(b)", HIPAA, "45 CFR 164.312(b)"),
            ("HIPAA 45 CFR 164.312(b)", HIPAA, "45 CFR 164.312(b)"),
            ("EU AI Act Art. 14", AIA, "Art. 14"),
            ("DORA Art. 9", DORA, "Art. 9"),
            ("SOX Section 404", "SOX", "Section 404"),
            ("GDPR Art. 32", OTHER_FRAMEWORK, "GDPR Art. 32"),
            ("SOC 2 ", OTHER_FRAMEWORK, "SOC 2"),
        ];
        for (control, framework, id) in cases {
            assert_eq!(split(control), (framework, id.to_string()), "{control}");
        }
    }

    /// Every control cited by an embedded pack parses to a known framework
    /// and has a title, so the bundled packs never produce an "Other" row.
    #[test]
    fn every_embedded_pack_control_is_known() {
        let library = crate::Library::embedded();
        let mut checked = 0;
        for pack in library.packs() {
            let Ok(policy) = library.load_pack(&pack.id) else {
                panic!("pack {} does not load", pack.id);
            };
            let cited = policy.rules.iter().flat_map(|r| r.controls.iter());
            for control in cited.chain(policy.controls.values().flatten()) {
                let (framework, id) = split(control);
                assert_ne!(framework, OTHER_FRAMEWORK, "{control}");
                assert!(title(framework, &id).is_some(), "no title for {control}");
                checked += 1;
            }
        }
        assert!(checked > 50, "only {checked} controls checked");
    }
}
