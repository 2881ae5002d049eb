#!/usr/bin/env python3
"""Writes html-month.ndjson: two working weeks of February 2022 for five
units, seeded, so that the html report of tests/html.rs has rows enough for
two A4 pages. Run: python3 tests/data/html-month.py > tests/data/html-month.ndjson"""
import datetime
import json
import random

UNITS = [
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Trung tâm Phục vụ hành chính công tỉnh",
    "UBND huyện Nghi Lộc",
    "UBND thành phố Vinh",
]
NAMES = [
    "Nguyễn Văn Hùng", "Trần Thị Thu Hà", "Lê Minh Tuấn", "Phạm Thị Lan", "Hoàng Đức Thắng",
    "Võ Thị Hương", "Đặng Văn Nam", "Bùi Thị Mai", "Hồ Văn Tiến", "Phan Thị Thanh Thủy",
    "Ngô Quang Huy", "Đỗ Thị Ngọc Anh", "Chu Văn Khánh", "Dương Thị Hoa", "Lý Văn Sơn",
    "Mai Thị Yến", "Trịnh Công Minh", "Đinh Thị Hồng", "Cao Văn Lợi", "Tạ Thị Bích",
    "Vương Đình Phúc", "Lưu Thị Nga", "Kiều Văn Toàn", "Quách Thị Duyên", "Thái Văn Đức",
]
random.seed(15)
days = [datetime.date(2022, 2, 7) + datetime.timedelta(days=d) for d in range(12)]
days = [d for d in days if d.weekday() < 5]
n = 0
for day in days:
    for person, name in enumerate(NAMES):
        n += 1
        late = random.random() < (0.45 if person in (3, 8, 17) else 0.06)
        arrival = f"07:{random.randint(31, 59)}" if late else f"07:{random.randint(5, 29):02}"
        record = {
            "employee_id": f"NA-{person + 1:04}",
            "full_name": name,
            "unit": UNITS[person // 5],
            "date": day.isoformat(),
            "arrival": arrival,
            "badge_worn": random.random() > 0.05,
        }
        if random.random() > 0.04:
            leave = random.random() < 0.05
            record["departure"] = f"16:{random.randint(10, 59)}" if leave else f"17:{random.randint(0, 40):02}"
        print(json.dumps(record, ensure_ascii=False))
# A data value holding a script, in a message (badge), and a data error.
print(json.dumps({"employee_id": "NA-0099", "full_name": "<script>alert(1)</script>",
                  "unit": UNITS[0], "date": "2022-02-18", "arrival": "07:20",
                  "departure": "17:05", "badge_worn": False}, ensure_ascii=False))
print(json.dumps({"employee_id": "NA-0098", "full_name": "Nguyễn Thị Lỗi", "unit": UNITS[1],
                  "date": "2022-02-18", "arrival": "7h45", "departure": "17:05",
                  "badge_worn": True}, ensure_ascii=False))
