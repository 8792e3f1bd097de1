//! A document as a flow of paragraphs and tables: what a Word file or a web page holds once its
//! markup is gone. Both the table readers and the document readers start from it.

/// One block of a document, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph's visible text, with its automatic number (一、, 1．) in front.
    Paragraph(String),
    /// A table as rows of cell text. A cell merged across columns holds its text in the first
    /// column and empty cells after it; a cell merged down repeats its text in every row it
    /// covers, so each row of a ledger carries its own leaders and units. Paragraphs inside a
    /// cell are separated by line breaks.
    Table(Vec<Vec<String>>),
}

/// The blocks of a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flow {
    pub blocks: Vec<Block>,
}

impl Flow {
    /// The candidate tables of the document, each as the rows before it (every paragraph since
    /// the previous table, one cell each: the title and notes) followed by its own rows.
    pub fn tables(&self) -> Vec<Vec<Vec<String>>> {
        let mut tables = Vec::new();
        let mut before: Vec<Vec<String>> = Vec::new();
        for block in &self.blocks {
            match block {
                Block::Paragraph(text) => before.push(vec![text.clone()]),
                Block::Table(rows) => {
                    let mut all = std::mem::take(&mut before);
                    all.extend(rows.iter().cloned());
                    tables.push(all);
                }
            }
        }
        tables
    }

    /// The document as plain text, as a report or plan reader takes it: one paragraph a line with
    /// a blank line between paragraphs; a table row is one line of its cells separated by spaces
    /// (the breaks inside a cell closed up), the way a table reads when copied out of a PDF.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            match block {
                Block::Paragraph(text) => {
                    let text = text.trim();
                    if !text.is_empty() {
                        out.push_str(text);
                        out.push_str("\n\n");
                    }
                }
                Block::Table(rows) => {
                    for row in rows {
                        let mut cells: Vec<String> = Vec::new();
                        for cell in row {
                            let cell: String = cell.lines().map(str::trim).collect();
                            // A cell merged across columns leaves empty cells behind it.
                            if !cell.is_empty() {
                                cells.push(cell);
                            }
                        }
                        if !cells.is_empty() {
                            out.push_str(&cells.join(" "));
                            out.push_str("\n\n");
                        }
                    }
                }
            }
        }
        out
    }
}
