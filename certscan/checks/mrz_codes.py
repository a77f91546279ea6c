"""The codes an MRZ may name a state or nationality by (ICAO Doc 9303 part 3): ISO 3166-1 alpha-3 (the
249 codes of Debian's iso-codes 4.15 list) and ICAO's own additions (Germany's ``D``, the British
categories, the United Nations, stateless and refugee codes, ``UTO`` of the specimens). The nationality is
covered by no check digit: a read that is no code at all (``ANS``) is a misread."""

from __future__ import annotations

_ISO_3166_ALPHA3_LIST = """
    ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD BGR BHR
    BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR COD COG COK COL
    COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK
    FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV
    HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO
    LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG
    MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN
    PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE
    SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO
    TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE
"""
ISO_3166_ALPHA3 = frozenset(_ISO_3166_ALPHA3_LIST.split())

ICAO_ADDITIONS = frozenset((
    "D", "GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "XXA", "XXB", "XXC", "XXX", "EUE", "RKS",
    "XOM", "XPO", "XCC", "XES", "XMP", "XBA", "XIM", "XCE", "XCO", "XEC", "XDC", "UTO",
))


_KNOWN_STATES = ISO_3166_ALPHA3 | ICAO_ADDITIONS


def known_state(code: str) -> bool:
    """An MRZ state code (fillers padding a short one, ``D<<``, removed)."""
    return code.replace("<", "") in _KNOWN_STATES
