"""Demo data of status inquiries for the embedded default (`make run`): every post's policy (the data migration
seeds those of the posts that existed then) and a few standard replies. Development only; idempotent."""

from consular_portal.models import Post

from .inquiry_policy_data import seed_inquiry_policies
from .models import InquiryPolicy, InquiryRoute, StandardReply

DEMO_REPLIES = [
    # title, English, Japanese
    ("Administrative processing",
     "Your application is in administrative processing. Most cases are resolved within 60 days of the interview; "
     "we will contact you when it is complete. Please do not send another inquiry before then.",
     "あなたの申請は追加審査（アドミニストレイティブ・プロセシング）中です。多くの場合、面接から60日以内に完了します。"
     "完了しましたらご連絡いたしますので、それまで再度のお問い合わせはご遠慮ください。"),
    ("Passport on its way",
     "Your visa has been issued. Your passport is being returned by the delivery method you chose; you can follow "
     "it on the portal's passport status page.",
     "ビザは発給されました。パスポートはお選びいただいた方法で返送中です。ポータルのパスポート状況ページでご確認いただけます。"),
    ("Documents missing",
     "We are still waiting for the documents the officer asked for. Please send them as instructed at your "
     "interview; processing resumes when they arrive.",
     "面接官が求めた書類がまだ届いていません。面接時の指示に従ってお送りください。到着後に審査を再開します。"),
]


def demo_inquiries():
    """The posts' policies and the standard replies of each post that takes status inquiries; returns how many
    replies were added."""
    seed_inquiry_policies(Post, InquiryPolicy, InquiryRoute)
    added = 0
    for post in Post.objects.all():
        if not post.offers(Post.Service.STATUS_INQUIRY):
            continue
        for title, body, body_ja in DEMO_REPLIES:
            _reply, created = StandardReply.objects.get_or_create(post=post, title=title,
                                                                  defaults={"body": body, "body_ja": body_ja})
            added += created
    return added
