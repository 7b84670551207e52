"""The staff member's month ("Tháng của tôi") and the evaluator's queue ("Đánh giá cán bộ")."""
