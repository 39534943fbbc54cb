//! Personally identifiable information (DetectPiiEntities, ContainsPiiEntities).
//! CONTRACT — to be implemented: structured types by validated patterns, NAME and ADDRESS by a
//! tagger trained with comprehend-ner.

use crate::Language;
use crate::offsets::CodePoints;

mod names;

/// A candidate span in BYTE offsets of the text, before overlaps are resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub kind: PiiType,
    pub start: usize,
    pub end: usize,
    pub score: f32,
}

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

/// The PII entities of `text` read as `language` (en or es): in text order, never overlapping.
pub fn detect(text: &str, language: Language) -> Vec<PiiEntity> {
    // Temporary wiring of the NAME/ADDRESS finder alone (h-names branch); the merged module
    // resolves overlaps between every finder.
    let mut found = Vec::new();
    names::find(text, language, &mut found);
    found.sort_by_key(|c| c.start);
    let map = CodePoints::new(text);
    found
        .into_iter()
        .map(|c| PiiEntity {
            kind: c.kind,
            begin: map.at(c.start),
            end: map.at(c.end),
            score: c.score,
        })
        .collect()
}

/// The PII types `text` contains, one label per type with the probability that the text
/// holds that type (consistent with [`detect`]), in the model's type order.
pub fn contains(text: &str, language: Language) -> Vec<(PiiType, f32)> {
    let _ = (text, language);
    Vec::new()
}
