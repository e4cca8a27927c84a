"""What leaves jiazheng for people: the CSV and XLSX an analyst opens in Excel/WPS, the review file
they send back, the statistics, and the referral packets (letter, tables, evidence) for agencies."""
