"""Section mapping: headings decide, body paragraphs inherit, cues fill the gaps, folds relabel."""

from __future__ import annotations

import pytest

from analyzer.frameworks import load_framework
from analyzer.mapping.sections import CLEAR_HEADING, CueScorer, HeadingMatcher, map_sections, normalize_heading, viterbi
from analyzer.text.structure import parse_structure

SEED_SECTIONS = {4: "S1", 6: "S2", 9: "S3", 11: "S4", 13: "S5", 16: "S6", 18: "S7"}


@pytest.mark.parametrize(
    ("heading", "label"),
    [
        ("(一)依法全面履行政府职能", "S1"),
        ("(三)推进行政决策科学化民主化法治化", "S3"),
        ("(四)坚持严格规范公正文明执法方面", "S4"),
        ("(七)加强组织保障和落实机制建设", "S7"),
        ("(七)全面提高政府工作人员法治思维和依法行政能力", "S7"),
        ("二、 存在的薄弱环节和问题", "PROBLEMS"),
        ("三、下一步工作建议", "NEXT"),
    ],
)
def test_headings_that_name_a_section(heading, label):
    found = HeadingMatcher(load_framework("fzzf-2015")).match(heading)
    assert found[0] == label and found[1] >= CLEAR_HEADING


def test_topical_heading_names_no_section():
    found = HeadingMatcher(load_framework("fzzf-2015")).match("(二)让执法既有力度又有温度")
    assert found is None or found[1] < CLEAR_HEADING


def test_normalize_heading_strips_marker_and_punctuation():
    assert normalize_heading("（三）推进行政决策科学化、民主化、法治化") == "推进行政决策科学化民主化法治化"


def test_seed_paragraphs_follow_their_headings(seed_paragraphs):
    structure = parse_structure(seed_paragraphs)
    labels = [a.label for a in map_sections(structure, load_framework("fzzf-2015"))]
    for index, label in SEED_SECTIONS.items():
        assert labels[index] == label
        assert labels[index + 1] == label  # the first body paragraph under it
    assert labels[0] == "META" and labels[24:] == ["META", "META"]
    assert labels[20:22] == ["PROBLEMS", "PROBLEMS"] and labels[22:24] == ["NEXT", "NEXT"]


def test_cue_scorer_prefers_the_section_whose_terms_appear():
    scorer = CueScorer(load_framework("fzzf-2015"))
    scores = scorer.score_text("全年办理行政复议案件12件,人民调解组织调处矛盾纠纷300余起。")
    assert max(scores, key=scores.get) == "S6"


def test_seed_without_headings_lands_in_its_sections(seed_paragraphs):
    """Every body paragraph of (一)…(七) lands in its section with the shipped model and no heading to lean on."""
    from analyzer import analyze
    from analyzer.text.headings import heading_marker

    body = [p for p in seed_paragraphs if not (heading_marker(p) and len(p) <= 40)]
    result = analyze("\n".join(body), framework="fzzf-2015")
    by_text = {p.text: p.section for p in result.paragraphs}
    for heading_index, label in SEED_SECTIONS.items():
        following = seed_paragraphs[heading_index + 1 :]
        for text in following:
            if heading_marker(text) and len(text) <= 40:
                break
            assert by_text[text] == label, f"{text[:20]} -> {by_text[text]}, expected {label}"


def _brute_heading_match(matcher: HeadingMatcher, core: str):
    """The rule written plainly: every alias scored, the first with the highest score wins."""
    from difflib import SequenceMatcher

    if len(core) < 2:
        return None
    best = None
    for alias, label in matcher.aliases:
        if not alias:
            continue
        if alias == core or (len(alias) >= 4 and alias in core) or (len(core) >= 4 and core in alias):
            score = 1.0 if alias == core else 0.9
        else:
            score = SequenceMatcher(None, alias, core, autojunk=False).ratio()
        if best is None or score > best[1]:
            best = (label, score)
    return best


def test_heading_matching_with_bounds_equals_scoring_every_alias():
    """The pruned search returns exactly what scoring every alias returns (and, asked for a clear match
    only, that or nothing), on the corpus's headings and on damaged copies of them (characters dropped,
    swapped, replaced), in all frameworks."""
    import random

    from builders import corpus_reports

    headings = {row["text"] for rows in corpus_reports().values() for row in rows if row["is_heading"]}
    rng = random.Random(8)
    cores = {normalize_heading(h) for h in headings}
    for core in list(cores):
        if len(core) > 3:
            k = rng.randrange(len(core))
            cores |= {core[:k] + core[k + 1:], core[:k] + "法" + core[k + 1:], core[::-1], core[k:] + core[:k]}
    assert len(cores) > 400
    for framework_id in ("fzzf-2015", "fzzf-2021", "duc-2019"):
        matcher = HeadingMatcher(load_framework(framework_id))
        for core in sorted(cores):
            brute = _brute_heading_match(matcher, core)
            assert matcher._match(core) == brute, (framework_id, core)
            clear = brute if brute is not None and brute[1] >= CLEAR_HEADING else None
            assert matcher._match(core, at_least=CLEAR_HEADING) == clear, (framework_id, core)


def test_the_heading_cache_stays_bounded_and_answers_as_before(monkeypatch):
    """A batch meets new headings with every report: the matched headings kept are bounded, and a
    heading matched again after the cache was emptied gets the same answer."""
    matcher = HeadingMatcher(load_framework("fzzf-2015"))
    monkeypatch.setattr(HeadingMatcher, "CACHE", 10)
    first = matcher.match("一、依法全面履行政府职能")
    for k in range(25):
        matcher.match(f"({k})推进第{k}批行政许可事项清单管理")
        assert len(matcher._cache) <= 10
    assert matcher.match("一、依法全面履行政府职能") == first and first[0] == "S1"


class _FixedScorer:
    """A stand-in for the trained model: the given probabilities for chosen paragraphs, a flat
    INTRO-leaning row elsewhere; its learned override threshold is ``override_``."""

    def __init__(self, rows: dict[int, dict[str, float]], *, override: float = 0.8):
        self.rows = rows
        self.override_ = override
        self.stay_ = 0.6

    def score(self, structure, labels):
        flat = {label: (0.3 if label == "INTRO" else 0.7 / (len(labels) - 1)) for label in labels}
        return [self.rows.get(p.index, flat) for p in structure.paragraphs]


# Team-written: a first-responsible-person heading whose second paragraph is about major decisions.
_LEADER_PART = [
    "一、落实第一责任人法治建设职责",
    "局主要负责同志年内四次主持召开党组会议专题研究法治建设，带头讲法治课。",
    "严格执行“三重一大”集体决策制度，全年提交局务会集体讨论重大事项12项，均经法律顾问合法性审查。",
]


def test_content_confidently_elsewhere_overrides_its_heading():
    structure = parse_structure(_LEADER_PART)
    leader = {"S7": 0.9, "S3": 0.05, "INTRO": 0.05}
    scorer = _FixedScorer({0: leader, 1: leader, 2: {"S3": 0.93, "S7": 0.05, "INTRO": 0.02}})
    out = map_sections(structure, load_framework("fzzf-2015"), scorer=scorer)
    assert out[0].label == "S7"
    assert (out[1].label, out[1].source, out[1].heading_label, out[1].confidence) == ("S7", "inherited", "S7", 1.0)
    assert (out[2].label, out[2].source, out[2].heading_label) == ("S3", "content", "S7")
    assert out[2].confidence == pytest.approx(0.93)


def test_content_below_the_threshold_keeps_its_heading():
    """(The report has an S3 part of its own, so no task is missing and the heading keeps its paragraph.)"""
    structure = parse_structure(_LEADER_PART + ["二、推进行政决策科学化、民主化、法治化", "全年重大行政决策均经合法性审查。"])
    leader = {"S7": 0.9, "S3": 0.05, "INTRO": 0.05}
    decisions = {"S3": 0.9, "S7": 0.05, "INTRO": 0.05}
    scorer = _FixedScorer({0: leader, 1: leader, 2: {"S3": 0.75, "S7": 0.2, "INTRO": 0.05}, 3: decisions, 4: decisions},
                          override=0.8)
    out = map_sections(structure, load_framework("fzzf-2015"), scorer=scorer)
    assert (out[2].label, out[2].source) == ("S7", "inherited")
    assert out[4].label == "S3"


def test_cue_terms_never_override_a_heading():
    """Without a trained model there is no calibrated probability: the heading decides."""
    out = map_sections(parse_structure(_LEADER_PART), load_framework("fzzf-2015"))
    assert [a.label for a in out] == ["S7", "S7", "S7"]


@pytest.mark.parametrize("heading", ["一、2019年法治政府建设情况", "一、2023年度推进法治政府建设工作情况", "一、法治建设工作"])
def test_a_heading_naming_only_the_report_subject_is_generic(heading):
    structure = parse_structure([heading, "全年共办理行政复议案件15件，调解成功率达到八成。"])
    out = map_sections(structure, load_framework("fzzf-2015"))
    assert out[0].label == "INTRO"


@pytest.mark.parametrize(
    ("texts", "rows", "framework", "expected"),
    [
        # the heading's words (completing a system) vote for S2; its items clearly belong to two sections
        (["一、完善工作体系，统筹推进各项任务",
          "(一)做好规范性文件备案审查。全年报备规范性文件8件，纠正1件。",
          "(二)严格规范公正文明执法。全年开展执法案卷评查两次，评查案卷60卷。"],
         [{"S2": 0.6, "S4": 0.2, "INTRO": 0.2}, {"S2": 0.95, "S4": 0.02, "INTRO": 0.03},
          {"S4": 0.95, "S2": 0.02, "INTRO": 0.03}],
         "fzzf-2015", ["S2", "S2", "S4"]),
        # a 党的领导 heading over a 学习 item and a 第一责任人 item (P1 and P10): not a preface
        (["一、坚持党的领导,统筹推进法治政府建设",
          "(一)深入学习贯彻习近平法治思想。局党组理论学习中心组专题学习4次。",
          "(二)履行第一责任人职责。主要负责人主持研究法治建设议题3次。"],
         [{"P10": 0.5, "P1": 0.3, "INTRO": 0.2}, {"P1": 0.9, "P10": 0.05, "INTRO": 0.05},
          {"P10": 0.9, "P1": 0.05, "INTRO": 0.05}],
         "fzzf-2021", ["P10", "P1", "P10"]),
    ],
)
def test_a_heading_whose_items_belong_to_different_sections_is_a_container(texts, rows, framework, expected):
    """Team-written. A container heading is labelled by its own and its items' vote (its subject, not
    INTRO), and decides nothing below it: each item keeps its own section."""
    scorer = _FixedScorer(dict(enumerate(rows)))
    out = map_sections(parse_structure(texts), load_framework(framework), scorer=scorer)
    assert [a.label for a in out] == expected
    assert out[0].source == "container" and "inherited" not in {a.source for a in out[1:]}


def test_a_scorer_never_makes_a_long_paragraph_metadata():
    class SaysMeta:  # a scorer that believes every paragraph is a title or closing line
        def score(self, structure, labels):
            return [{"META": 0.7, "S6": 0.3} for _ in structure.paragraphs]

    def label_of(text):
        return map_sections(parse_structure([text]), load_framework("fzzf-2015"), scorer=SaysMeta())[0].label

    assert label_of("对照督察反馈意见逐条制定整改措施,截至2024年10月31日已全部完成整改,共办理复议案件12件。") == "S6"
    assert label_of("特此报告。") == "META"


# Team-written: a topical heading whose third item reports a different task (数字法治政府 under 执法).
_TOPICAL_RUN = [
    "一、提升执法质效",
    "全年开展农资质量专项检查6次，立案查处违法案件23件。",
    "推行说理式执法，全年制作说理式处罚决定书41份。",
    "依托执法信息平台实现案件网上办理，网上办案率达到100%，平台自动预警问题线索19条。",
]
_ENFORCEMENT = {"P5": 0.9, "P9": 0.05, "INTRO": 0.05}


def _topical_scorer(third: dict[str, float]) -> _FixedScorer:
    return _FixedScorer({0: _ENFORCEMENT, 1: _ENFORCEMENT, 2: _ENFORCEMENT, 3: third}, override=0.96)


def test_a_task_no_paragraph_was_mapped_to_takes_the_paragraph_that_clearly_says_it():
    out = map_sections(parse_structure(_TOPICAL_RUN), load_framework("fzzf-2021"),
                       scorer=_topical_scorer({"P9": 0.85, "P5": 0.14, "INTRO": 0.01}))
    assert [a.label for a in out] == ["P5", "P5", "P5", "P9"]
    assert (out[3].source, out[3].heading_label) == ("content", "P5")


def test_a_weak_score_for_a_missing_task_moves_nothing():
    """Below ``RESCUE_MISSING`` the task stays missing: a paragraph that merely mentions it keeps its heading."""
    out = map_sections(parse_structure(_TOPICAL_RUN), load_framework("fzzf-2021"),
                       scorer=_topical_scorer({"P9": 0.4, "P5": 0.59, "INTRO": 0.01}))
    assert [a.label for a in out] == ["P5", "P5", "P5", "P5"]


@pytest.mark.parametrize(("third", "rescued"), [
    ({"P9": 0.45, "P5": 0.40, "INTRO": 0.15}, True),  # its own top label, above RESCUE_TOP
    ({"P9": 0.38, "P5": 0.32, "INTRO": 0.30}, False),  # its top label, but below RESCUE_TOP
    ({"P9": 0.45, "P5": 0.54, "INTRO": 0.01}, False),  # above RESCUE_TOP, but not its top label
])
def test_a_missing_task_takes_back_a_paragraph_that_reads_as_it_more_than_anything_else(third, rescued):
    out = map_sections(parse_structure(_TOPICAL_RUN), load_framework("fzzf-2021"), scorer=_topical_scorer(third))
    assert [a.label for a in out] == ["P5", "P5", "P5", "P9" if rescued else "P5"]


def test_a_rescue_never_empties_the_task_it_takes_from():
    structure = parse_structure(["一、提升执法质效", _TOPICAL_RUN[3]])
    out = map_sections(structure, load_framework("fzzf-2021"),
                       scorer=_FixedScorer({0: _ENFORCEMENT, 1: {"P9": 0.85, "P5": 0.14, "INTRO": 0.01}}, override=0.96))
    assert [a.label for a in out] == ["P5", "P5"]


def test_without_a_trained_model_nothing_is_rescued():
    """Cue counts are not probabilities: the rescue needs the model's calibrated scores."""
    out = map_sections(parse_structure(_TOPICAL_RUN), load_framework("fzzf-2021"))
    assert "P9" not in [a.label for a in out[:3]]


# Team-written headingless run: measures, one of them worded like a plan (加强…), then the real plan.
_PLAN_LIKE = {"NEXT": 0.7, "P5": 0.25, "INTRO": 0.05}
_MEASURE = {"P2": 0.89, "NEXT": 0.01, "P5": 0.05, "INTRO": 0.05}


def _decode(rows: list[dict[str, float]], *, closing=()) -> list[str]:
    labels = ["P2", "P5", "NEXT", "INTRO"]
    return [label for label, _ in viterbi(rows, labels, stay=0.4, closing=closing)]


def test_a_plan_like_measure_between_measures_is_not_the_closing_plan():
    rows = [_MEASURE, _PLAN_LIKE, _MEASURE]
    assert _decode(rows) == ["P2", "NEXT", "P2"]  # without the learned order, the wording wins
    assert _decode(rows, closing=("NEXT",)) == ["P2", "P5", "P2"]


def test_the_closing_plan_at_the_end_of_a_report_is_kept():
    assert _decode([_MEASURE, _MEASURE, _PLAN_LIKE, _PLAN_LIKE], closing=("NEXT",)) == ["P2", "P2", "NEXT", "NEXT"]


def test_a_part_may_follow_the_closing_plan_but_no_task():
    other = {"OTHER": 0.8, "P2": 0.15, "NEXT": 0.05}
    labels = ["P2", "P5", "NEXT", "INTRO", "OTHER"]
    rows = [_MEASURE, _PLAN_LIKE, _PLAN_LIKE, other]
    assert [lab for lab, _ in viterbi(rows, labels, stay=0.4, closing=("NEXT",))] == ["P2", "NEXT", "NEXT", "OTHER"]
    after = [_MEASURE, _PLAN_LIKE, _PLAN_LIKE, _MEASURE]  # a measure after the plan-like pair: no task follows a plan
    decoded = [lab for lab, _ in viterbi(after, labels, stay=0.4, closing=("NEXT",))]
    assert not any(a == "NEXT" and b in ("P2", "P5") for a, b in zip(decoded, decoded[1:]))


def test_map_sections_decodes_with_the_scorers_closing_labels():
    texts = ["全年新增政务服务事项42项。", "加强行政执法规范化建设,组织完成案卷评查。", "推行告知承诺制,办件1.2万件。"]
    scorer = _FixedScorer({0: _MEASURE, 1: _PLAN_LIKE, 2: _MEASURE})
    scorer.stay_ = 0.4
    framework = load_framework("fzzf-2021")
    assert [a.label for a in map_sections(parse_structure(texts), framework, scorer=scorer)] == ["P2", "NEXT", "P2"]
    scorer.closing_ = ("NEXT",)
    assert [a.label for a in map_sections(parse_structure(texts), framework, scorer=scorer)] == ["P2", "P5", "P2"]


# Team-written: a preface worded like the 习近平法治思想 task, then two measures.
_PREFACE_LIKE_TASK = {"P1": 0.55, "INTRO": 0.4, "P2": 0.05}
_OPENINGS = {"INTRO": 0.9, "P1": 0.02, "P2": 0.02, "P5": 0.02, "NEXT": 0.04}


def test_the_body_opens_with_its_preface_where_reports_do():
    rows = [_PREFACE_LIKE_TASK, _MEASURE, _MEASURE]
    labels = ["P1", "P2", "P5", "NEXT", "INTRO"]
    assert [lab for lab, _ in viterbi(rows, labels, stay=0.4)][0] == "P1"
    assert [lab for lab, _ in viterbi(rows, labels, stay=0.4, start=_OPENINGS)] == ["INTRO", "P2", "P2"]


def test_only_the_run_that_opens_the_body_is_decoded_with_the_opening_prior():
    texts = ["深入学习贯彻习近平法治思想,全年开展专题学习6次。", "一、推进法治政府建设",  # a heading that decides nothing
             "深入学习贯彻习近平法治思想,组织旁听庭审2次。", "全年新增政务服务事项42项。"]
    scorer = _FixedScorer({0: _PREFACE_LIKE_TASK, 2: _PREFACE_LIKE_TASK, 3: _MEASURE})
    scorer.stay_, scorer.start_ = 0.4, _OPENINGS
    out = map_sections(parse_structure(texts), load_framework("fzzf-2021"), scorer=scorer)
    assert [a.label for a in out] == ["INTRO", "INTRO", "P1", "P2"]
