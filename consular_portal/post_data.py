"""The posts the portal starts with. Loaded by a data migration; officers edit them in the admin afterwards.

Japan: the call centre serves the Embassy and every consulate, 10:00–18:00 Japan time, Monday to Friday,
closed on US and Japanese holidays. Every Japan post that issues visas takes emergency requests and status
inquiries; passport tracking updates come from Tokyo and Osaka-Kobe (the tracking page says applicants of
Sapporo, Fukuoka and Naha, and mail-in applicants of Osaka, see no update). China: Shanghai takes expedited
requests from its district; the other posts are listed so an applicant can be pointed to the post serving
their province.
"""

EXPEDITE, TRACKING, INQUIRY = "expedite", "passport_tracking", "status_inquiry"

JAPAN_PHONES = [
    {"label": "In Japan", "number": "050-5533-2737"},
    {"label": "In the United States", "number": "+1-703-520-2233"},
]
JAPAN_HOURS = [{"days": [0, 1, 2, 3, 4], "opens": "10:00", "closes": "18:00"}]
CHINA_PHONES = [
    {"label": "Within China (Visa Call Center, PIN card from CITIC Bank)", "number": "4008-872-333"},
    {"label": "From outside China", "number": "+86-21-3881-4611"},
]


def _japan(slug, name, kind, regions, services, order):
    return {
        "slug": slug,
        "name": name,
        "kind": kind,
        "country": "JP",
        "time_zone": "Asia/Tokyo",
        "district_regions": regions,
        "phone_numbers": JAPAN_PHONES,
        "email": f"visa-{slug}@consular-portal.example",
        "officer_mailbox": f"officers-{slug}@consular-portal.example",
        "contact_hours": JAPAN_HOURS,
        "contact_hours_note": "Closed on U.S. and Japanese holidays.",
        "languages": ["en", "ja"],
        "services": services,
        "display_order": order,
    }


def _china(slug, name, kind, regions, services, order, hours=(), phones=()):
    return {
        "slug": slug,
        "name": name,
        "kind": kind,
        "country": "CN",
        "time_zone": "Asia/Shanghai",
        "district_regions": regions,
        "phone_numbers": list(phones),
        "email": f"visa-{slug}@consular-portal.example" if services else "",
        "officer_mailbox": f"officers-{slug}@consular-portal.example" if services else "",
        "contact_hours": list(hours),
        "contact_hours_note": "",
        "languages": ["en", "zh-hans"],
        "services": services,
        "display_order": order,
    }


def _jp(*numbers):
    return [f"JP-{n:02d}" for n in numbers]


POSTS = [
    _japan(
        "tokyo",
        "U.S. Embassy Tokyo",
        "embassy",
        # Every prefecture not served by a consulate below.
        _jp(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24),
        [EXPEDITE, TRACKING, INQUIRY],
        10,
    ),
    _japan(
        "osaka-kobe",
        "U.S. Consulate General Osaka-Kobe",
        "consulate_general",
        _jp(25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 36, 37, 38, 39),
        [EXPEDITE, TRACKING, INQUIRY],
        20,
    ),
    _japan("sapporo", "U.S. Consulate General Sapporo", "consulate_general", _jp(1), [EXPEDITE, INQUIRY], 30),
    _japan(
        "fukuoka",
        "U.S. Consulate Fukuoka",
        "consulate",
        _jp(35, 40, 41, 42, 43, 44, 45, 46),
        [EXPEDITE, INQUIRY],
        40,
    ),
    _japan("naha", "U.S. Consulate General Naha", "consulate_general", _jp(47), [EXPEDITE, INQUIRY], 50),
    _china(
        "shanghai",
        "U.S. Consulate General Shanghai",
        "consulate_general",
        ["CN-SH", "CN-AH", "CN-JS", "CN-ZJ"],
        [EXPEDITE],
        60,
        phones=CHINA_PHONES,
    ),
    _china(
        "beijing",
        "U.S. Embassy Beijing",
        "embassy",
        ["CN-BJ", "CN-TJ", "CN-HE", "CN-SX", "CN-NM", "CN-SD", "CN-SN", "CN-GS", "CN-NX", "CN-QH", "CN-XJ",
         "CN-SC", "CN-CQ", "CN-GZ", "CN-YN", "CN-XZ"],
        [],
        70,
    ),
    _china("guangzhou", "U.S. Consulate General Guangzhou", "consulate_general",
           ["CN-GD", "CN-GX", "CN-FJ", "CN-HI"], [], 80),
    _china("shenyang", "U.S. Consulate General Shenyang", "consulate_general",
           ["CN-LN", "CN-JL", "CN-HL"], [], 90),
    _china("wuhan", "U.S. Consulate General Wuhan", "consulate_general",
           ["CN-HB", "CN-HN", "CN-HA", "CN-JX"], [], 100),
]


def seed_posts(post_model):
    """Create the posts that do not exist yet; never overwrite what officers have edited."""
    for data in POSTS:
        post_model.objects.get_or_create(slug=data["slug"], defaults=data)


# Where applicants come (the consular sections' public addresses), for the appointments' calendar files.
ADDRESSES = {
    "tokyo": "1-10-5 Akasaka, Minato-ku, Tokyo 107-8420, Japan",
    "osaka-kobe": "2-11-5 Nishitenma, Kita-ku, Osaka 530-8543, Japan",
    "sapporo": "Kita 1-jo Nishi 28-chome, Chuo-ku, Sapporo 064-0821, Japan",
    "fukuoka": "2-5-26 Ohori, Chuo-ku, Fukuoka 810-0052, Japan",
    "naha": "2-1-1 Toyama, Urasoe, Okinawa 901-2104, Japan",
    "shanghai": "8th Floor, Westgate Mall, 1038 West Nanjing Road, Shanghai 200041, China",
}


def seed_addresses(post_model):
    """Give the seeded posts their address where none was entered."""
    for slug, address in ADDRESSES.items():
        post_model.objects.filter(slug=slug, address="").update(address=address)
