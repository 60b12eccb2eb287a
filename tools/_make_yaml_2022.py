"""One-off: write the 2022 edition of data/classifier.yaml from the seed plus English glosses.

Kept for provenance; the committed YAML is the source of truth and
tests/test_transcription.py checks it against the seed on every run.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from transcribe_2022 import extract  # noqa: E402

GLOSS = {
    "1.0": "Unjustified provision of medical care",
    "1.1": "Hospitalisation without medical indications / unjustified referral to hospital",
    "1.2": "Unjustified consultative-diagnostic services",
    "1.3": "Unjustified referral to consultative-diagnostic services",
    "2.0": "Defects in medical records",
    "2.1": "Defects in keeping medical records (missing informed consent, test results, examinations, specialist consultations, daily notes …, where other supporting documents exist)",
    "2.2": "Incorrect, late or poor-quality entry of data into the health information systems",
    "2.3": "Late registration of a death, later than 10 days after it / late or unjustified removal from the register",
    "3.0": "Unjustified overstatement of the volume of care or services provided",
    "3.1": "Unjustified increase in the number of treatment and diagnostic services",
    "3.2": "Making clinical-diagnostic services dearer by providing more expensive services where alternatives exist",
    "3.3": "Overstating the weight coefficient of the clinical cost group",
    "4.0": "Unjustified repeat hospitalisation (within 30 calendar days of the end of inpatient treatment)",
    "5.0": "Unconfirmed case of medical care (service)",
    "5.1": "Including unconfirmed visits, bed-days or cases of care in the invoice register",
    "5.2": "Including unconfirmed cases of a medical service in the invoice register",
    "5.3": "Unconfirmed dispensing of a medicine or medical device, including outpatient drug provision (АЛО)",
    "5.4": "Attachment to another primary-care organisation without the patient's notice and consent",
    "5.5": "Unjustified entry of a patient into the registers of the health information systems",
    "6.0": "Unjustified deviation of treatment and diagnostic measures and services from standards, rules and clinical protocols",
    "6.1": "Late or improper diagnostic / treatment measures that led to complications",
    "6.2": "Late or improper diagnostic / treatment measures that led to deterioration",
    "6.3": "Late or improper diagnostic / treatment measures with an outcome of no change",
    "6.4": "Non-compliance with standards of care / regulations on health organisations",
    "6.5": "Non-compliance with the rules of preventive screening of target groups",
    "6.6": "Non-compliance with the rules of vaccination under the National vaccination calendar",
    "6.7": "Late provision of medicines and devices under clinical protocols and the ГОБМП/ОСМС lists, including АЛО",
    "6.8": "Unjustified prescription of medicines and medical devices without indications",
    "6.9": "Non-fulfilment of the social contract under the disease-management programme (ПУЗ) / universal progressive patronage model (УПМП)",
    "6.10": "Providing care despite contraindications",
    "6.11": "Late arrival of the ambulance team for the call category",
    "6.12": "Repeat ambulance call to the same patient within 24 hours",
    "6.13": "Late or incomplete supply of blood components to health organisations",
    "6.14": "Polypharmacy",
    "7.0": "Waiting time for medical services",
    "7.1": "Waiting for consultative-diagnostic services (КДУ) for more than 10 working days",
    "8.0": "Justified complaints",
    "8.1": "Complaints about the quality and volume of care (services)",
    "8.2": "Complaints about the accessibility of care",
    "9.0": "Death not payable at inpatient level / death at outpatient or emergency level",
    "10.0": "Discrepancy between the clinical diagnosis and the morphological or pathological diagnosis",
    "11.0": "Drawing on the patient's medicines, medical devices or money for care covered by ГОБМП/ОСМС",
    "12.0": "Unjustified refusal of hospitalisation at the admission department",
}


def q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


out = []
for r in extract():
    code = str(r["code"]).rstrip(".")
    out.append(f"      - row: {q(str(r['row']))}")
    out.append(f"        code: {q(str(r['code']))}")
    out.append(f"        name_ru: {q(str(r['name']))}")
    out.append(f"        name_en: {q(GLOSS[code])}")
    out.append("        cells:")
    for k, v in r["cells"].items():  # type: ignore[union-attr]
        out.append(f"          {k}: {q(v)}")
print("\n".join(out))
