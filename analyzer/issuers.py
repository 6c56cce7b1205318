"""Who issued a report: its administrative level, guessed from the issuer's name.

The level decides which framework elements a report is asked for (a township makes no 规章) and
groups reports in comparisons.
"""

from __future__ import annotations

import re

_MUNICIPALITIES = {"北京市", "上海市", "天津市", "重庆市"}  # cities at provincial level


def issuer_level(issuer: str | None) -> str | None:
    """Administrative level guessed from the issuer's name: province, city, county, township,
    department or ministry. A heuristic on name endings, not a register: a county-level 市 reads as a
    city, and unusual names give None."""
    if not issuer:
        return None
    name = re.sub(r"\s+", "", issuer)
    if "街道" in name or re.search(r"[镇乡](人民政府|政府)?$", name):
        return "township"
    if re.match(r"^(中华人民共和国)?国家", name) and not re.search(r"[省市县区]", name):
        return "ministry"
    if re.search(r"(总局|总署|部)$", name) and not re.search(r"[省市县区]", name):
        return "ministry"
    if re.search(r"(局|委|厅|办|委员会|办公室|办公厅|中心|署|院|部)$", name):
        return "department"
    place = re.sub(r"(人民政府|政府)$", "", name)
    if place in _MUNICIPALITIES:
        return "province"
    if re.search(r"(省|自治区)$", place):
        return "province"
    if re.search(r"[县区旗]$", place):
        return "county"
    if re.search(r"(市|州|盟)$", place):
        return "city"
    return None
