//! Personally identifiable information (DetectPiiEntities, ContainsPiiEntities).
//!
//! Every entity type of https://docs.aws.amazon.com/comprehend/latest/dg/how-pii.html but NAME
//! and ADDRESS is found by a validated pattern: one table of [`recognizer::Recognizer`] entries
//! (type, regex, validator, context words, scores), grouped by family of types in the modules
//! below. NAME and ADDRESS come from a tagger trained with comprehend-ner ([`names`]). Every
//! finder proposes [`Candidate`]s in byte offsets; [`resolve`] keeps the best non-overlapping
//! ones and turns them into code-point offsets, as the service counts them.

mod checks;
mod context;
mod credentials;
mod datetime;
mod financial;
mod government;
mod names;
mod network;
mod phone;
mod recognizer;
mod resolve;
mod vehicle;

use crate::Language;

/// The service's `PiiEntityType`, without `ALL` (which only selects types for redaction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PiiType {
    BankAccountNumber,
    BankRouting,
    CreditDebitNumber,
    CreditDebitCvv,
    CreditDebitExpiry,
    Pin,
    Email,
    Address,
    Name,
    Phone,
    Ssn,
    DateTime,
    PassportNumber,
    DriverId,
    Url,
    Age,
    Username,
    Password,
    AwsAccessKey,
    AwsSecretKey,
    IpAddress,
    MacAddress,
    LicensePlate,
    VehicleIdentificationNumber,
    UkNationalInsuranceNumber,
    CaSocialInsuranceNumber,
    UsIndividualTaxIdentificationNumber,
    UkUniqueTaxpayerReferenceNumber,
    InPermanentAccountNumber,
    InNrega,
    InternationalBankAccountNumber,
    SwiftCode,
    UkNationalHealthServiceNumber,
    CaHealthNumber,
    InAadhaar,
    InVoterNumber,
}

impl PiiType {
    /// Every type, in the model's order.
    pub const ALL: [PiiType; 36] = [
        PiiType::BankAccountNumber,
        PiiType::BankRouting,
        PiiType::CreditDebitNumber,
        PiiType::CreditDebitCvv,
        PiiType::CreditDebitExpiry,
        PiiType::Pin,
        PiiType::Email,
        PiiType::Address,
        PiiType::Name,
        PiiType::Phone,
        PiiType::Ssn,
        PiiType::DateTime,
        PiiType::PassportNumber,
        PiiType::DriverId,
        PiiType::Url,
        PiiType::Age,
        PiiType::Username,
        PiiType::Password,
        PiiType::AwsAccessKey,
        PiiType::AwsSecretKey,
        PiiType::IpAddress,
        PiiType::MacAddress,
        PiiType::LicensePlate,
        PiiType::VehicleIdentificationNumber,
        PiiType::UkNationalInsuranceNumber,
        PiiType::CaSocialInsuranceNumber,
        PiiType::UsIndividualTaxIdentificationNumber,
        PiiType::UkUniqueTaxpayerReferenceNumber,
        PiiType::InPermanentAccountNumber,
        PiiType::InNrega,
        PiiType::InternationalBankAccountNumber,
        PiiType::SwiftCode,
        PiiType::UkNationalHealthServiceNumber,
        PiiType::CaHealthNumber,
        PiiType::InAadhaar,
        PiiType::InVoterNumber,
    ];

    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            PiiType::BankAccountNumber => "BANK_ACCOUNT_NUMBER",
            PiiType::BankRouting => "BANK_ROUTING",
            PiiType::CreditDebitNumber => "CREDIT_DEBIT_NUMBER",
            PiiType::CreditDebitCvv => "CREDIT_DEBIT_CVV",
            PiiType::CreditDebitExpiry => "CREDIT_DEBIT_EXPIRY",
            PiiType::Pin => "PIN",
            PiiType::Email => "EMAIL",
            PiiType::Address => "ADDRESS",
            PiiType::Name => "NAME",
            PiiType::Phone => "PHONE",
            PiiType::Ssn => "SSN",
            PiiType::DateTime => "DATE_TIME",
            PiiType::PassportNumber => "PASSPORT_NUMBER",
            PiiType::DriverId => "DRIVER_ID",
            PiiType::Url => "URL",
            PiiType::Age => "AGE",
            PiiType::Username => "USERNAME",
            PiiType::Password => "PASSWORD",
            PiiType::AwsAccessKey => "AWS_ACCESS_KEY",
            PiiType::AwsSecretKey => "AWS_SECRET_KEY",
            PiiType::IpAddress => "IP_ADDRESS",
            PiiType::MacAddress => "MAC_ADDRESS",
            PiiType::LicensePlate => "LICENSE_PLATE",
            PiiType::VehicleIdentificationNumber => "VEHICLE_IDENTIFICATION_NUMBER",
            PiiType::UkNationalInsuranceNumber => "UK_NATIONAL_INSURANCE_NUMBER",
            PiiType::CaSocialInsuranceNumber => "CA_SOCIAL_INSURANCE_NUMBER",
            PiiType::UsIndividualTaxIdentificationNumber => {
                "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER"
            }
            PiiType::UkUniqueTaxpayerReferenceNumber => "UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER",
            PiiType::InPermanentAccountNumber => "IN_PERMANENT_ACCOUNT_NUMBER",
            PiiType::InNrega => "IN_NREGA",
            PiiType::InternationalBankAccountNumber => "INTERNATIONAL_BANK_ACCOUNT_NUMBER",
            PiiType::SwiftCode => "SWIFT_CODE",
            PiiType::UkNationalHealthServiceNumber => "UK_NATIONAL_HEALTH_SERVICE_NUMBER",
            PiiType::CaHealthNumber => "CA_HEALTH_NUMBER",
            PiiType::InAadhaar => "IN_AADHAAR",
            PiiType::InVoterNumber => "IN_VOTER_NUMBER",
        }
    }
}

/// One PII entity: its type, code-point offsets (end exclusive) and confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PiiEntity {
    pub kind: PiiType,
    pub begin: usize,
    pub end: usize,
    pub score: f32,
}

/// A candidate span in BYTE offsets of the text, before overlaps are resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub kind: PiiType,
    pub start: usize,
    pub end: usize,
    pub score: f32,
}

/// The PII entities of `text` read as `language` (en or es): in text order, never overlapping.
pub fn detect(text: &str, language: Language) -> Vec<PiiEntity> {
    let mut candidates = Vec::new();
    recognizer::find(text, language, &mut candidates);
    names::find(text, language, &mut candidates);
    resolve::resolve(text, candidates)
}

/// The candidates (byte offsets, overlaps unresolved) of the validated patterns of `kinds`
/// alone — no tagger: the seam through which DetectEntities reuses them.
pub(crate) fn find_patterns(text: &str, kinds: &[PiiType]) -> Vec<Candidate> {
    let mut out = Vec::new();
    recognizer::find_kinds(text, kinds, &mut out);
    out
}

/// The PII types `text` contains, one label per type with the probability that the text
/// holds that type (consistent with [`detect`]: the best score of that type's entities), in
/// the model's type order.
pub fn contains(text: &str, language: Language) -> Vec<(PiiType, f32)> {
    let entities = detect(text, language);
    PiiType::ALL
        .into_iter()
        .filter_map(|kind| {
            entities
                .iter()
                .filter(|e| e.kind == kind)
                .map(|e| e.score)
                .reduce(f32::max)
                .map(|score| (kind, score))
        })
        .collect()
}

#[cfg(test)]
mod tests;
