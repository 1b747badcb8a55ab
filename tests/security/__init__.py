"""The security suite: static analysis (bandit, every suppression explained), the security headers and
cookies of every public page, no whole passport number in any log, staff sessions (new key at login, idle
sign-out). The rest of it lives beside what it tests: hostile input to every public route and form and the
fuzz test (tests/site/test_hostile_input.py, test_fuzz_public_forms.py), hostile uploads
(tests/appointments/test_uploads.py), every admin URL for every persona (tests/test_admin_access.py), the
second factor and lock-out (tests/test_staff_login.py, test_staff_enrolment.py, test_staff_lockout.py,
tests/integration/test_production_mode.py), `check --deploy` (tests/test_settings.py)."""
