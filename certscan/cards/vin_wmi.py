"""World Manufacturer Identifiers (VIN characters 1-3) of the makes seen on Chinese roads.

Provenance: the WMI assignments published by SAE International (the ISO 3780 registrar) as listed in
the public WMI tables (NHTSA vPIC manufacturer listings, the Wikipedia "Vehicle identification number"
WMI list), restricted to passenger-car and light/heavy commercial makers built in or imported into
China. The list is deliberately incomplete: a VIN whose WMI is not here is still read as printed; a
known WMI only breaks ties between equally likely repairs (``cards.vin.repair``).
"""

from __future__ import annotations

# Chinese plants (first character L): joint ventures and domestic makers.
CHINA = frozenset({
    "LBE",  # Beijing Hyundai
    "LBV",  # BMW Brilliance
    "LB3", "L6T",  # Geely
    "LC0", "LGX",  # BYD
    "LDC",  # Dongfeng Peugeot Citroen
    "LDN",  # Soueast
    "LE4",  # Beijing Benz
    "LFM", "LTV",  # FAW Toyota
    "LFP",  # FAW Car (Hongqi, Bestune)
    "LFV",  # FAW-Volkswagen
    "LFW",  # FAW Jiefang
    "LGA",  # Dongfeng commercial vehicles
    "LGB",  # Dongfeng Nissan
    "LGG",  # Dongfeng Liuzhou
    "LGJ",  # Dongfeng Fengshen
    "LGW",  # Great Wall (Haval, Wey)
    "LHG",  # GAC Honda
    "LJ1",  # JAC
    "LJD",  # Dongfeng Yueda Kia
    "LLV",  # Lifan
    "LMG",  # GAC Trumpchi
    "LNB",  # BAIC
    "LPA",  # Changan PSA
    "LPS",  # Polestar
    "LRB", "LRE",  # SAIC-GM Buick / Cadillac
    "LRW",  # Tesla Shanghai
    "LS4", "LS5",  # Changan
    "LSG",  # SAIC-GM
    "LSJ",  # SAIC MG / Roewe
    "LSV",  # SAIC Volkswagen
    "LSY",  # Brilliance Jinbei
    "LVG",  # GAC Toyota
    "LVH",  # Dongfeng Honda
    "LVR",  # Changan Mazda
    "LVS",  # Changan Ford
    "LVV",  # Chery
    "LVY", "LYV",  # Volvo Cars Daqing / Chengdu
    "LWV",  # GAC Fiat Chrysler
    "LZG",  # Shaanxi Automobile
    "LZW",  # SAIC-GM-Wuling
    "LZZ",  # Sinotruk
})

# Imports: Europe, Japan, Korea, North America.
IMPORTED = frozenset({
    "WBA", "WBS", "WBY", "WMW",  # BMW, BMW M, BMW i, MINI
    "WDB", "WDC", "WDD", "W1K", "W1N",  # Mercedes-Benz
    "WAU", "WUA",  # Audi
    "WVW", "WV1", "WV2", "WVG",  # Volkswagen
    "WP0", "WP1",  # Porsche
    "WF0",  # Ford Germany
    "W0L",  # Opel
    "ZFF", "ZHW", "ZAR", "ZFA", "ZAM",  # Ferrari, Lamborghini, Alfa Romeo, Fiat, Maserati
    "SAL", "SAJ", "SCA", "SCB", "SCC",  # Land Rover, Jaguar, Rolls-Royce, Bentley, Lotus
    "YV1", "YV4",  # Volvo
    "VF1", "VF3", "VF7", "VSS", "TMB",  # Renault, Peugeot, Citroen, SEAT, Skoda
    "JTD", "JTE", "JTH", "JTJ", "JTM", "JTN", "JT2", "JT3",  # Toyota, Lexus
    "JHM", "JHL", "JHG",  # Honda
    "JN1", "JN8",  # Nissan
    "JM1", "JM3",  # Mazda
    "JF1", "JF2",  # Subaru
    "JA3", "JA4", "JMB",  # Mitsubishi
    "JS1", "JS2", "JS3",  # Suzuki
    "KMH", "KMF", "KM8",  # Hyundai
    "KNA", "KNB", "KND", "KNM",  # Kia, Renault Samsung
    "1HG", "1HM", "2HG", "5J6",  # Honda North America
    "1FA", "1FM", "1FT",  # Ford
    "1G1", "1GC", "1GN", "1G6", "1GY",  # GM
    "1C4", "1J4",  # Chrysler, Jeep
    "2T1", "4T1", "5TD",  # Toyota North America
    "3VW",  # Volkswagen Mexico
    "5YJ", "7SA",  # Tesla
    "5UX", "4JG", "5N1", "5XY",  # BMW, Mercedes-Benz, Nissan, Kia in the US
})

KNOWN = CHINA | IMPORTED


def is_known(vin: str) -> bool:
    """Whether the VIN's first three characters are a listed manufacturer's."""
    return vin[:3] in KNOWN
