"""Names of the regions (ISO 3166-2) that make up consular districts, in the portal's three languages."""

from django.utils.translation import get_language

# code: (English, Japanese, Simplified Chinese)
REGIONS = {
    "JP-01": ("Hokkaido", "北海道", "北海道"),
    "JP-02": ("Aomori", "青森県", "青森县"),
    "JP-03": ("Iwate", "岩手県", "岩手县"),
    "JP-04": ("Miyagi", "宮城県", "宫城县"),
    "JP-05": ("Akita", "秋田県", "秋田县"),
    "JP-06": ("Yamagata", "山形県", "山形县"),
    "JP-07": ("Fukushima", "福島県", "福岛县"),
    "JP-08": ("Ibaraki", "茨城県", "茨城县"),
    "JP-09": ("Tochigi", "栃木県", "栃木县"),
    "JP-10": ("Gunma", "群馬県", "群马县"),
    "JP-11": ("Saitama", "埼玉県", "埼玉县"),
    "JP-12": ("Chiba", "千葉県", "千叶县"),
    "JP-13": ("Tokyo", "東京都", "东京都"),
    "JP-14": ("Kanagawa", "神奈川県", "神奈川县"),
    "JP-15": ("Niigata", "新潟県", "新潟县"),
    "JP-16": ("Toyama", "富山県", "富山县"),
    "JP-17": ("Ishikawa", "石川県", "石川县"),
    "JP-18": ("Fukui", "福井県", "福井县"),
    "JP-19": ("Yamanashi", "山梨県", "山梨县"),
    "JP-20": ("Nagano", "長野県", "长野县"),
    "JP-21": ("Gifu", "岐阜県", "岐阜县"),
    "JP-22": ("Shizuoka", "静岡県", "静冈县"),
    "JP-23": ("Aichi", "愛知県", "爱知县"),
    "JP-24": ("Mie", "三重県", "三重县"),
    "JP-25": ("Shiga", "滋賀県", "滋贺县"),
    "JP-26": ("Kyoto", "京都府", "京都府"),
    "JP-27": ("Osaka", "大阪府", "大阪府"),
    "JP-28": ("Hyogo", "兵庫県", "兵库县"),
    "JP-29": ("Nara", "奈良県", "奈良县"),
    "JP-30": ("Wakayama", "和歌山県", "和歌山县"),
    "JP-31": ("Tottori", "鳥取県", "鸟取县"),
    "JP-32": ("Shimane", "島根県", "岛根县"),
    "JP-33": ("Okayama", "岡山県", "冈山县"),
    "JP-34": ("Hiroshima", "広島県", "广岛县"),
    "JP-35": ("Yamaguchi", "山口県", "山口县"),
    "JP-36": ("Tokushima", "徳島県", "德岛县"),
    "JP-37": ("Kagawa", "香川県", "香川县"),
    "JP-38": ("Ehime", "愛媛県", "爱媛县"),
    "JP-39": ("Kochi", "高知県", "高知县"),
    "JP-40": ("Fukuoka", "福岡県", "福冈县"),
    "JP-41": ("Saga", "佐賀県", "佐贺县"),
    "JP-42": ("Nagasaki", "長崎県", "长崎县"),
    "JP-43": ("Kumamoto", "熊本県", "熊本县"),
    "JP-44": ("Oita", "大分県", "大分县"),
    "JP-45": ("Miyazaki", "宮崎県", "宫崎县"),
    "JP-46": ("Kagoshima", "鹿児島県", "鹿儿岛县"),
    "JP-47": ("Okinawa", "沖縄県", "冲绳县"),
    "CN-AH": ("Anhui", "安徽省", "安徽省"),
    "CN-BJ": ("Beijing", "北京市", "北京市"),
    "CN-CQ": ("Chongqing", "重慶市", "重庆市"),
    "CN-FJ": ("Fujian", "福建省", "福建省"),
    "CN-GD": ("Guangdong", "広東省", "广东省"),
    "CN-GS": ("Gansu", "甘粛省", "甘肃省"),
    "CN-GX": ("Guangxi", "広西チワン族自治区", "广西壮族自治区"),
    "CN-GZ": ("Guizhou", "貴州省", "贵州省"),
    "CN-HA": ("Henan", "河南省", "河南省"),
    "CN-HB": ("Hubei", "湖北省", "湖北省"),
    "CN-HE": ("Hebei", "河北省", "河北省"),
    "CN-HI": ("Hainan", "海南省", "海南省"),
    "CN-HL": ("Heilongjiang", "黒竜江省", "黑龙江省"),
    "CN-HN": ("Hunan", "湖南省", "湖南省"),
    "CN-JL": ("Jilin", "吉林省", "吉林省"),
    "CN-JS": ("Jiangsu", "江蘇省", "江苏省"),
    "CN-JX": ("Jiangxi", "江西省", "江西省"),
    "CN-LN": ("Liaoning", "遼寧省", "辽宁省"),
    "CN-NM": ("Inner Mongolia", "内モンゴル自治区", "内蒙古自治区"),
    "CN-NX": ("Ningxia", "寧夏回族自治区", "宁夏回族自治区"),
    "CN-QH": ("Qinghai", "青海省", "青海省"),
    "CN-SC": ("Sichuan", "四川省", "四川省"),
    "CN-SD": ("Shandong", "山東省", "山东省"),
    "CN-SH": ("Shanghai", "上海市", "上海市"),
    "CN-SN": ("Shaanxi", "陝西省", "陕西省"),
    "CN-SX": ("Shanxi", "山西省", "山西省"),
    "CN-TJ": ("Tianjin", "天津市", "天津市"),
    "CN-XJ": ("Xinjiang", "新疆ウイグル自治区", "新疆维吾尔自治区"),
    "CN-XZ": ("Tibet", "チベット自治区", "西藏自治区"),
    "CN-YN": ("Yunnan", "雲南省", "云南省"),
    "CN-ZJ": ("Zhejiang", "浙江省", "浙江省"),
}
_COLUMN = {"en": 0, "ja": 1, "zh-hans": 2}


def region_name(code, language=None):
    names = REGIONS.get(code)
    if names is None:
        return code
    return names[_COLUMN.get(language or get_language() or "en", 0)]


def region_choices(country, language=None):
    """(code, name) pairs of one country's regions, sorted by name in the given language."""
    codes = [code for code in REGIONS if code.startswith(f"{country}-")]
    return sorted(((code, region_name(code, language)) for code in codes), key=lambda pair: pair[0])
