T = {
    "Passports": ("パスポート", "护照"),
}
