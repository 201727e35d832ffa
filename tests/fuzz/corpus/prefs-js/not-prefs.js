<!DOCTYPE html>
<html><body>not prefs</body></html>
