"""Page and region reports over scored posts.

`collect.collect_rows(rows)` scores reader rows (in parallel) and joins them with their inputs;
`build.page_report(scored, page)` and `build.region_report(scored, pages)` return JSON-ready
reports; `html.render_region` / `html.render_page` and `tables.to_csv` / `tables.to_xlsx`
render them; `cli.run` is `gospablik report`.
"""
