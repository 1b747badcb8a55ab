"""The expedite policies the portal starts with, from the posts' published rules. Loaded by a data migration
(and by the tests); officers edit the rows in the admin afterwards.

Japan (every post that issues visas: Tokyo, Osaka-Kobe, Sapporo, Fukuoka, Naha): the seven emergency
categories and the excluded purposes of the Embassy's "Qualifications for Emergency Appointment Request".
Shanghai: the three categories, the excluded events and the prerequisites of "Expedited Non-Immigrant Visa
Interview Requests".
"""

JAPAN_POSTS = ["tokyo", "osaka-kobe", "sapporo", "fukuoka", "naha"]
NON_E_BUSINESS = ["B1/B2", "B1", "H1B", "H2B", "H3", "I", "L1", "O1", "O2", "P1", "P2", "P3", "Q1", "R1"]
BUSINESS = ["B1/B2", "B1", "E1", "E2", "E3", "H1B", "I", "L1", "O1", "P1"]
STUDENTS = ["F1", "M1", "J1"]


def _t(en, ja, zh):
    return {"": en, "_ja": ja, "_zh_hans": zh}


def _category(code, order, name, explanation, proof, confirmation=None, **options):
    row = {"code": code, "order": order, **options}
    for field, texts in (("name", name), ("explanation", explanation), ("proof", proof),
                         ("confirmation", confirmation or _t("", "", ""))):
        for suffix, text in texts.items():
            row[field + suffix] = text
    return row


def _exclusion(code, order, name, only_alone=False):
    row = {"code": code, "order": order, "only_alone": only_alone}
    for suffix, text in name.items():
        row["name" + suffix] = text
    return row


JAPAN_POLICY = {
    "requires_scheduled_appointment": False,
    "refusal_window_months": 0,
    "district_residence_required": False,
    "refuses_renewal_eligible": False,
    "flags_previous_expedite": False,
    "response_days_min": 1,
    "response_days_max": 2,
}

JAPAN_CATEGORIES = [
    _category(
        "crew-c1d", 10,
        _t("C-1/D crew visas, travel within 14 days",
           "C-1/D（乗務員）ビザで、渡航日が14日以内の方",
           "C-1/D（机组人员）签证，出行日期在14天以内"),
        _t("C-1/D visas where the travel date is within 14 days.",
           "渡航日が14日以内のC-1/Dビザ。",
           "出行日期在14天以内的C-1/D签证。"),
        _t("A letter from the shipping company or airline giving the travel date",
           "渡航日が記載された船会社または航空会社の書簡",
           "注明出行日期的船运公司或航空公司信函"),
        visa_classes=["C1/D"], window="travel_within", window_days=14,
    ),
    _category(
        "e-visa-urgent", 20,
        _t("Urgent travel for E visa applicants",
           "E（条約貿易商・投資家）ビザ申請者の緊急の渡航",
           "E类（条约贸易商/投资者）签证申请人的紧急出行"),
        _t("Urgent travel for E visa applicants that cannot be postponed.",
           "延期することができないE ビザ申請者の緊急の渡航。",
           "E类签证申请人无法推迟的紧急出行。"),
        _t("A letter from the company explaining why the travel is urgent",
           "渡航が緊急である理由を説明する会社の書簡",
           "公司出具的说明出行紧急原因的信函"),
        _t("My travel cannot be postponed.", "私の渡航は延期することができません。", "我的出行无法推迟。"),
        visa_classes=["E1", "E2", "E3"],
    ),
    _category(
        "family-death-illness", 30,
        _t("Death or sudden illness of a family member",
           "家族の死亡または急病",
           "家庭成员死亡或突发疾病"),
        _t("The death or sudden illness of a family member.",
           "家族の死亡または急病。",
           "家庭成员死亡或突发疾病。"),
        _t("Evidence of the death or illness, such as a letter from a US doctor or hospital or a death "
           "certificate",
           "米国の医師または病院の書簡、死亡証明書など、死亡または病気を示す書類",
           "证明死亡或疾病的材料，例如美国医生或医院的信函或死亡证明"),
        _t("The person who died or fell ill is a member of my family.",
           "亡くなった方または急病の方は私の家族です。",
           "去世或突发疾病的人是我的家庭成员。"),
    ),
    _category(
        "students", 40,
        _t("Students and exchange visitors starting or resuming a programme within two weeks",
           "2週間以内にプログラムを開始または再開する学生・交流訪問者",
           "两周内开始或继续学业项目的学生和交流访问者"),
        _t("Students or exchange visitors whose purpose of travel is to begin or resume a valid programme of "
           "study in the United States within two weeks.",
           "2週間以内に米国で有効な学業プログラムを開始または再開することを渡航目的とする学生または交流訪問者。",
           "出行目的是在两周内开始或继续在美国的有效学业项目的学生或交流访问者。"),
        _t("Form I-20 (F and M students) or Form DS-2019 (J exchange visitors)",
           "フォームI-20（F・M学生）またはフォームDS-2019（J交流訪問者）",
           "I-20表（F、M类学生）或DS-2019表（J类交流访问者）"),
        visa_classes=STUDENTS, window="program_within", window_days=14,
    ),
    _category(
        "medical-professionals", 50,
        _t("Medical professionals seeking work in the United States (H or J)",
           "米国での就労を目指す医療従事者（HまたはJビザ）",
           "寻求在美国工作的医疗专业人员（H或J签证）"),
        _t("Medical professionals seeking work in the U.S. on a work or exchange visitor visa (H or J), "
           "particularly those working on COVID-19 issues.",
           "就労ビザまたは交流訪問者ビザ（HまたはJ）で米国での就労を目指す医療従事者、特にCOVID-19関連の業務に"
           "従事する方。",
           "持工作签证或交流访问者签证（H或J）寻求在美国工作的医疗专业人员，尤其是从事新冠肺炎相关工作的人员。"),
        _t("The job offer or DS-2019 from the US employer or programme, and your professional licence",
           "米国の雇用主またはプログラムからの採用通知書またはDS-2019、および専門職の免許",
           "美国雇主或项目的录用通知或DS-2019表，以及您的专业执照"),
        visa_classes=["H1B", "H2B", "H3", "J1"],
    ),
    _category(
        "urgent-business", 60,
        _t("Urgent business travel requested by a US business (applicants other than E visas)",
           "米国の企業から要請された緊急の商用渡航（Eビザ以外の申請者）",
           "应美国企业要求的紧急商务出行（E类签证以外的申请人）"),
        _t("Urgent business travel for applicants other than E visa applicants, to attend a time-sensitive and "
           "critical business matter, when the request for travel comes from a business or company in the "
           "United States.",
           "Eビザ以外の申請者が、時間的制約のある重要な商用案件に出席するための緊急の商用渡航で、渡航の要請が米国の"
           "企業・会社から来ている場合。",
           "E类签证以外的申请人为处理时间紧迫且至关重要的商务事项而紧急出行，且出行请求来自美国的企业或公司。"),
        _t("The letter of the US business or company requesting your travel",
           "渡航を要請する米国の企業・会社の書簡",
           "美国企业或公司要求您出行的信函"),
        _t("The business matter is time-sensitive and critical.",
           "この商用案件は時間的制約があり、重要なものです。",
           "该商务事项时间紧迫且至关重要。"),
        visa_classes=NON_E_BUSINESS, us_company_request_required=True,
    ),
    _category(
        "fiance-humanitarian", 70,
        _t("Fiancé(e) visas for urgent humanitarian travel",
           "人道的理由による緊急の渡航のための婚約者ビザ",
           "因人道原因需紧急出行的未婚夫（妻）签证"),
        _t("Fiancé(e) visas for urgent travel if necessary for humanitarian reasons.",
           "人道的理由により緊急の渡航が必要な場合の婚約者ビザ。",
           "因人道原因需要紧急出行时的未婚夫（妻）签证。"),
        _t("Evidence of the humanitarian reason for the urgent travel",
           "緊急の渡航が必要な人道的理由を示す書類",
           "证明紧急出行人道原因的材料"),
        _t("My travel is urgent for humanitarian reasons.",
           "私の渡航は人道的理由により緊急です。",
           "我因人道原因需要紧急出行。"),
        visa_classes=["K1", "K2"],
    ),
]

JAPAN_EXCLUSIONS = [
    _exclusion("wedding", 10, _t("Attending a wedding", "結婚式への出席", "参加婚礼")),
    _exclusion("graduation", 20, _t("Attending a graduation ceremony", "卒業式への出席", "参加毕业典礼")),
    _exclusion("pregnant-relative", 30, _t("Assisting a pregnant relative", "妊娠中の親族の手助け", "照顾怀孕的亲属")),
    _exclusion("annual-conference", 40,
               _t("An annual business, academic or professional conference",
                  "年次のビジネス・学術・専門家会議への参加",
                  "参加年度商务、学术或专业会议")),
    _exclusion("tourism", 50, _t("Tourism", "観光", "旅游")),
    _exclusion("esta-denial", 60,
               _t("An ESTA denial", "ESTA（電子渡航認証）の不許可", "ESTA（电子旅行授权）被拒"),
               only_alone=True),
]

SHANGHAI_POLICY = {
    "requires_scheduled_appointment": True,
    "refusal_window_months": 6,
    "district_residence_required": True,
    "residence_months": 6,
    "refuses_renewal_eligible": True,
    "renewal_program_name": "Visa Renewal / Frequent Traveler program (CITIC Bank)",
    "renewal_program_hint": "For the fastest turnaround, apply through the Visa Renewal or Frequent Traveler "
    "program at the CITIC Bank location at the corner of West Nanjing Road and Jiangning Road, across the "
    "street from the Consular Section's office in Westgate Mall.",
    "renewal_program_hint_ja": "最も早く手続きするには、梅龍鎮広場の領事部事務所の向かい、南京西路と江寧路の角にある"
    "中信銀行（CITIC Bank）でビザ更新・頻繁渡航者プログラムを利用してください。",
    "renewal_program_hint_zh_hans": "如需最快办理，请通过位于南京西路与江宁路交叉口、梅龙镇广场领事处办公室对面的"
    "中信银行网点申请签证续签/常旅客项目。",
    "flags_previous_expedite": True,
    "response_days_min": 1,
    "response_days_max": 2,
}

SHANGHAI_CATEGORIES = [
    _category(
        "humanitarian", 10,
        _t("Humanitarian requests", "人道的な理由による申請", "人道主义申请"),
        _t("Immediate family members travelling to meet and assist a seriously ill relative or to assist with a "
           "family emergency.",
           "重病の親族に会って手助けするため、または家族の緊急事態に対応するために渡航する近親者。",
           "前往探望和照顾重病亲属或协助处理家庭紧急情况的直系亲属。"),
        _t("Evidence from a US doctor or hospital", "米国の医師または病院からの証明書類", "美国医生或医院出具的证明"),
        _t("I am an immediate family member of the person who is seriously ill or facing the emergency.",
           "私は重病の方または緊急事態にある方の近親者です。",
           "我是重病或遇到紧急情况者的直系亲属。"),
    ),
    _category(
        "students", 20,
        _t("Students (F, M, J visas)", "学生（F・M・Jビザ）", "学生（F、M、J签证）"),
        _t("Students in the current academic year whose classes will start before their current visa interview "
           "date. Students and exchange visitors who are clearly eligible for the Frequent Traveler renewal "
           "service are not approved.",
           "現在の学年度の学生で、授業の開始日が現在のビザ面接日より前の方。頻繁渡航者更新サービスの対象であることが"
           "明らかな学生・交流訪問者は承認されません。",
           "本学年的学生，其开学日期早于目前的签证面谈日期。明显符合常旅客续签服务条件的学生和交流访问者不予批准。"),
        _t("Form I-20 (F and M students) or Form DS-2019 (J exchange visitors)",
           "フォームI-20（F・M学生）またはフォームDS-2019（J交流訪問者）",
           "I-20表（F、M类学生）或DS-2019表（J类交流访问者）"),
        visa_classes=STUDENTS, window="program_before_interview",
    ),
    _category(
        "emergency-business", 30,
        _t("Emergency business trips", "緊急の商用渡航", "紧急商务出行"),
        _t("An emergency business trip which, if missed, will cause economic loss.",
           "渡航できなかった場合に経済的損失が生じる緊急の商用渡航。",
           "如果错过将造成经济损失的紧急商务出行。"),
        _t("The invitation letter from the business", "企業からの招へい状", "企业出具的邀请函"),
        _t("Missing this trip will cause economic loss.",
           "この渡航ができなければ経済的損失が生じます。",
           "错过此次出行将造成经济损失。"),
        visa_classes=BUSINESS,
    ),
]

SHANGHAI_EXCLUSIONS = [
    _exclusion("convention", 10, _t("A large convention", "大規模な大会・コンベンション", "大型会议")),
    _exclusion("annual-meeting", 20, _t("An annual meeting", "年次総会", "年会")),
    _exclusion("graduation", 30, _t("A graduation ceremony", "卒業式", "毕业典礼")),
    _exclusion("wedding", 40, _t("Attending a wedding", "結婚式への出席", "参加婚礼")),
    _exclusion("tourism", 50, _t("Tourism", "観光", "旅游")),
]

POLICIES = {slug: (JAPAN_POLICY, JAPAN_CATEGORIES, JAPAN_EXCLUSIONS) for slug in JAPAN_POSTS}
POLICIES["shanghai"] = (SHANGHAI_POLICY, SHANGHAI_CATEGORIES, SHANGHAI_EXCLUSIONS)


def seed_policies(post_model, policy_model, category_model, exclusion_model):
    """Create the policies of the seeded posts that have none yet; never overwrite what officers edited."""
    for slug, (policy_data, categories, exclusions) in POLICIES.items():
        post = post_model.objects.filter(slug=slug).first()
        if post is None or policy_model.objects.filter(post=post).exists():
            continue
        policy = policy_model.objects.create(post=post, **policy_data)
        for row in categories:
            category_model.objects.create(policy=policy, **row)
        for row in exclusions:
            exclusion_model.objects.create(policy=policy, **row)
