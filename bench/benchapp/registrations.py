from lantoa.core.indicators import (
    Aggregation,
    Counting,
    Indicator,
    Measure,
    Reallocation,
    RecordSource,
    register_indicator,
    register_source,
)

register_source(
    RecordSource(
        key="bench_records",
        model="benchapp.BenchRecord",
        unit_field="unit",
        date_field="day",
        measures={"amount": Measure.sum("amount"), "people": Measure.distinct("person")},
    )
)
register_indicator(
    Indicator(
        code="bench_amount",
        name_vi="Số lượng (đo hiệu năng)",
        name_en="Amount (benchmark)",
        measure_vi="",
        measure_en="",
        aggregation=Aggregation.SUM,
        counting=Counting.ITEMS,
        reallocation=Reallocation.BY_WEIGHT,
        source="bench_records",
        measure="amount",
    )
)
