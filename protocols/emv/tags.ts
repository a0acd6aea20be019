/**
 * The EMV data elements a Visa qVSDC tap uses: tag → name, format, length,
 * and who provides it.
 *
 * Sources: EMV 4.3 Book 3 Annex A1 "Data Elements Dictionary" (Table 33)
 * for the kernel-independent elements; EMV Contactless Book C-3 (Kernel 3,
 * Visa) Annex A for the qVSDC ones (marked 'C-3'); EMV Book 3 Annex B for the
 * template tags. Formats (EMV Book 3 4.3): n = BCD digits right-justified,
 * leading zeros; cn = BCD digits left-justified, trailing 'F's; an = letters
 * and digits; ans = ASCII printable; b = binary; template = BER-TLV objects.
 * Lengths are in bytes. Certificates ('90', '9F46'...) are as long as the
 * signing key's modulus, up to 248 bytes (EMV Book 2 5.1: NCA ≤ 248).
 */

export type EmvFormat = 'n' | 'cn' | 'an' | 'ans' | 'b' | 'template';
export type EmvSource = 'icc' | 'terminal' | 'issuer';

export interface EmvTag {
  tag: number;
  name: string;
  format: EmvFormat;
  minLength: number;
  maxLength: number;
  source: EmvSource;
  /** 'B3' = EMV 4.3 Book 3 Annex A1; 'C-3' = EMV Contactless Book C-3 Annex A. */
  spec: 'B3' | 'C-3';
}

type Row = [tag: number, name: string, format: EmvFormat, min: number, max: number, source: EmvSource, spec?: 'C-3'];

const ROWS: Row[] = [
  [0x42, 'Issuer Identification Number (IIN)', 'n', 3, 3, 'icc'],
  [0x4f, 'Application Identifier (ADF Name)', 'b', 5, 16, 'icc'],
  [0x50, 'Application Label', 'ans', 1, 16, 'icc'],
  [0x56, 'Track 1 Data', 'ans', 1, 76, 'icc', 'C-3'],
  [0x57, 'Track 2 Equivalent Data', 'b', 1, 19, 'icc'],
  [0x5a, 'Application Primary Account Number (PAN)', 'cn', 1, 10, 'icc'],
  [0x5f20, 'Cardholder Name', 'ans', 2, 26, 'icc'],
  [0x5f24, 'Application Expiration Date', 'n', 3, 3, 'icc'],
  [0x5f25, 'Application Effective Date', 'n', 3, 3, 'icc'],
  [0x5f28, 'Issuer Country Code', 'n', 2, 2, 'icc'],
  [0x5f2a, 'Transaction Currency Code', 'n', 2, 2, 'terminal'],
  [0x5f2d, 'Language Preference', 'an', 2, 8, 'icc'],
  [0x5f30, 'Service Code', 'n', 2, 2, 'icc'],
  [0x5f34, 'Application PAN Sequence Number', 'n', 1, 1, 'icc'],
  [0x5f36, 'Transaction Currency Exponent', 'n', 1, 1, 'terminal'],
  [0x61, 'Application Template', 'template', 0, 252, 'icc'],
  [0x6f, 'File Control Information (FCI) Template', 'template', 0, 252, 'icc'],
  [0x70, 'READ RECORD Response Message Template', 'template', 0, 252, 'icc'],
  [0x77, 'Response Message Template Format 2', 'template', 0, 252, 'icc'],
  [0x80, 'Response Message Template Format 1', 'b', 0, 252, 'icc'],
  [0x82, 'Application Interchange Profile', 'b', 2, 2, 'icc'],
  [0x83, 'Command Template', 'b', 0, 252, 'terminal'],
  [0x84, 'Dedicated File (DF) Name', 'b', 5, 16, 'icc'],
  [0x87, 'Application Priority Indicator', 'b', 1, 1, 'icc'],
  [0x88, 'Short File Identifier (SFI)', 'b', 1, 1, 'icc'],
  [0x8a, 'Authorisation Response Code', 'an', 2, 2, 'issuer'],
  [0x8c, 'Card Risk Management Data Object List 1 (CDOL1)', 'b', 0, 252, 'icc'],
  [0x8d, 'Card Risk Management Data Object List 2 (CDOL2)', 'b', 0, 252, 'icc'],
  [0x8e, 'Cardholder Verification Method (CVM) List', 'b', 10, 252, 'icc'],
  [0x8f, 'Certification Authority Public Key Index', 'b', 1, 1, 'icc'],
  [0x90, 'Issuer Public Key Certificate', 'b', 1, 248, 'icc'],
  [0x91, 'Issuer Authentication Data', 'b', 8, 16, 'issuer'],
  [0x92, 'Issuer Public Key Remainder', 'b', 1, 248, 'icc'],
  [0x93, 'Signed Static Application Data', 'b', 1, 248, 'icc'],
  [0x94, 'Application File Locator (AFL)', 'b', 4, 252, 'icc'],
  [0x95, 'Terminal Verification Results', 'b', 5, 5, 'terminal'],
  [0x9a, 'Transaction Date', 'n', 3, 3, 'terminal'],
  [0x9c, 'Transaction Type', 'n', 1, 1, 'terminal'],
  [0x9f02, 'Amount, Authorised (Numeric)', 'n', 6, 6, 'terminal'],
  [0x9f03, 'Amount, Other (Numeric)', 'n', 6, 6, 'terminal'],
  [0x9f06, 'Application Identifier (AID) - terminal', 'b', 5, 16, 'terminal'],
  [0x9f07, 'Application Usage Control', 'b', 2, 2, 'icc'],
  [0x9f08, 'Application Version Number (card)', 'b', 2, 2, 'icc'],
  [0x9f09, 'Application Version Number (terminal)', 'b', 2, 2, 'terminal'],
  [0x9f0d, 'Issuer Action Code - Default', 'b', 5, 5, 'icc'],
  [0x9f0e, 'Issuer Action Code - Denial', 'b', 5, 5, 'icc'],
  [0x9f0f, 'Issuer Action Code - Online', 'b', 5, 5, 'icc'],
  [0x9f10, 'Issuer Application Data', 'b', 1, 32, 'icc'],
  [0x9f11, 'Issuer Code Table Index', 'n', 1, 1, 'icc'],
  [0x9f12, 'Application Preferred Name', 'ans', 1, 16, 'icc'],
  [0x9f13, 'Last Online ATC Register', 'b', 2, 2, 'icc'],
  [0x9f17, 'PIN Try Counter', 'b', 1, 1, 'icc'],
  [0x9f1a, 'Terminal Country Code', 'n', 2, 2, 'terminal'],
  [0x9f1f, 'Track 1 Discretionary Data', 'ans', 1, 54, 'icc'],
  [0x9f21, 'Transaction Time', 'n', 3, 3, 'terminal'],
  [0x9f26, 'Application Cryptogram', 'b', 8, 8, 'icc'],
  [0x9f27, 'Cryptogram Information Data', 'b', 1, 1, 'icc'],
  [0x9f32, 'Issuer Public Key Exponent', 'b', 1, 3, 'icc'],
  [0x9f33, 'Terminal Capabilities', 'b', 3, 3, 'terminal'],
  [0x9f34, 'Cardholder Verification Method (CVM) Results', 'b', 3, 3, 'terminal'],
  [0x9f35, 'Terminal Type', 'n', 1, 1, 'terminal'],
  [0x9f36, 'Application Transaction Counter (ATC)', 'b', 2, 2, 'icc'],
  [0x9f37, 'Unpredictable Number', 'b', 4, 4, 'terminal'],
  [0x9f38, 'Processing Options Data Object List (PDOL)', 'b', 0, 252, 'icc'],
  [0x9f40, 'Additional Terminal Capabilities', 'b', 5, 5, 'terminal'],
  [0x9f41, 'Transaction Sequence Counter', 'n', 2, 4, 'terminal'],
  [0x9f42, 'Application Currency Code', 'n', 2, 2, 'icc'],
  [0x9f44, 'Application Currency Exponent', 'n', 1, 1, 'icc'],
  [0x9f46, 'ICC Public Key Certificate', 'b', 1, 248, 'icc'],
  [0x9f47, 'ICC Public Key Exponent', 'b', 1, 3, 'icc'],
  [0x9f48, 'ICC Public Key Remainder', 'b', 1, 248, 'icc'],
  [0x9f49, 'Dynamic Data Authentication Data Object List (DDOL)', 'b', 0, 252, 'icc'],
  [0x9f4a, 'Static Data Authentication Tag List', 'b', 0, 252, 'icc'],
  [0x9f4b, 'Signed Dynamic Application Data', 'b', 1, 248, 'icc'],
  [0x9f4c, 'ICC Dynamic Number', 'b', 2, 8, 'icc'],
  [0x9f4e, 'Merchant Name and Location', 'ans', 0, 252, 'terminal'],
  [0x9f5a, 'Application Program Identifier (Program ID)', 'b', 1, 16, 'icc', 'C-3'],
  [0x9f5d, 'Available Offline Spending Amount (AOSA)', 'n', 6, 6, 'icc', 'C-3'],
  [0x9f66, 'Terminal Transaction Qualifiers (TTQ)', 'b', 4, 4, 'terminal', 'C-3'],
  [0x9f69, 'Card Authentication Related Data', 'b', 5, 16, 'icc', 'C-3'],
  [0x9f6c, 'Card Transaction Qualifiers (CTQ)', 'b', 2, 2, 'icc', 'C-3'],
  [0x9f6e, 'Form Factor Indicator (FFI)', 'b', 4, 4, 'icc', 'C-3'],
  [0x9f7c, 'Customer Exclusive Data (CED)', 'b', 0, 32, 'icc', 'C-3'],
  [0xa5, 'File Control Information (FCI) Proprietary Template', 'template', 0, 252, 'icc'],
  [0xbf0c, 'File Control Information (FCI) Issuer Discretionary Data', 'template', 0, 222, 'icc'],
];

/** Every element above, by tag. */
export const EMV_TAGS: ReadonlyMap<number, EmvTag> = new Map(
  ROWS.map(([tag, name, format, minLength, maxLength, source, spec]) => [tag, { tag, name, format, minLength, maxLength, source, spec: spec ?? 'B3' }]),
);

export function emvTag(tag: number): EmvTag | undefined {
  return EMV_TAGS.get(tag);
}

/** 'Amount, Authorised (Numeric)' for 0x9F02; '9F02' for a tag this dictionary does not know. */
export function emvTagName(tag: number): string {
  return EMV_TAGS.get(tag)?.name ?? tag.toString(16).toUpperCase();
}

/** Whether a value of `length` bytes is allowed for `tag` (unknown tags: any length). */
export function lengthAllowed(tag: number, length: number): boolean {
  const info = EMV_TAGS.get(tag);
  if (!info) return true;
  if (tag === 0x94 && length % 4 !== 0) return false; // AFL entries are 4 bytes each (EMV Book 3 10.2)
  return length >= info.minLength && length <= info.maxLength;
}
