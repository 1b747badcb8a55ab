T = {
    "Status inquiries": ("状況の問い合わせ", "状态查询"),
}
