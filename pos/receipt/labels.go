package receipt

import "strings"

// Labels are the words a receipt and a shift report print, in one language.
// Every field is set in each language LabelsFor knows.
type Labels struct {
	// SalesTitle is the heading of a sale receipt.
	SalesTitle string
	// ReturnTitle is the heading of a return receipt.
	ReturnTitle string
	// VoidTitle is the heading of a voided transaction.
	VoidTitle string
	// Copy is the banner printed at the top and the bottom of a reprint.
	Copy string
	// Tel is the caption before the store's phone number.
	Tel string
	// TaxID is the caption before the store's tax registration number.
	TaxID string
	// Receipt is the caption of the receipt number.
	Receipt string
	// Date is the caption of the date and time.
	Date string
	// Store is the caption of the store ID.
	Store string
	// Terminal is the caption of the terminal ID.
	Terminal string
	// Operator is the caption of the operator.
	Operator string
	// Customer is the caption of the customer account.
	Customer string
	// PriceOverridden is the text before the original price of an overridden line.
	PriceOverridden string
	// ReturnOf is the text before the original receipt number of a returned line.
	ReturnOf string
	// Return is marks a returned line without an original receipt.
	Return string
	// LineDiscount is the label of a manual line discount (a percentage may follow).
	LineDiscount string
	// OriginalDiscount is the label of the discount a returned line carries back.
	OriginalDiscount string
	// TotalDiscount is the label of the manual transaction discount (a percentage may follow).
	TotalDiscount string
	// Subtotal is the sum of the lines before discounts.
	Subtotal string
	// Promotions is the sum of the automatic discounts.
	Promotions string
	// LineDiscounts is the sum of the manual line discounts.
	LineDiscounts string
	// Tax is the tax added to prices, and the tax in a shift report.
	Tax string
	// Total is the grand total, printed before the currency code; the ESC/POS renderer prints the line starting with it large.
	Total string
	// Rounding is the cash rounding.
	Rounding string
	// AmountDue is the total after rounding.
	AmountDue string
	// AuthCode is the caption of a card authorisation code.
	AuthCode string
	// Change is the cash given back.
	Change string
	// TotalSavings is the sum of all discounts.
	TotalSavings string
	// TaxColumn is the heading of the tax summary's name column.
	TaxColumn string
	// RateColumn is the heading of the tax summary's rate column.
	RateColumn string
	// NetColumn is the heading of the tax summary's net amount column.
	NetColumn string
	// AmountColumn is the heading of the tax summary's tax amount column.
	AmountColumn string
	// TaxTotal is the total row of the tax summary.
	TaxTotal string
	// NoteInclusive is the note printed when prices include tax.
	NoteInclusive string
	// NoteExclusive is the note printed when tax is added to prices.
	NoteExclusive string
	// Cash is the usual name of the cash tender.
	Cash string
	// VAT is the usual name of value added tax, as in a tax code's name ("VAT 19%").
	VAT string
	// XReport is the heading of an X report.
	XReport string
	// ZReport is the heading of a Z report.
	ZReport string
	// Shift is the caption of the shift ID.
	Shift string
	// Opened is the caption of the time the shift was opened.
	Opened string
	// OpenedBy is the caption of who opened the shift.
	OpenedBy string
	// Closed is the caption of the time a Z report closed the shift.
	Closed string
	// Printed is the caption of the time an X report was printed.
	Printed string
	// Totals is the heading of the report's totals.
	Totals string
	// Sales is the sales amount.
	Sales string
	// Returns is the returns amount.
	Returns string
	// NetSales is sales less returns.
	NetSales string
	// Discounts is the discounts given.
	Discounts string
	// IncomeAccounts is the sum of the income accounts.
	IncomeAccounts string
	// ExpenseAccounts is the sum of the expense accounts.
	ExpenseAccounts string
	// Counts is the heading of the report's counts.
	Counts string
	// SaleCount is the number of sale transactions.
	SaleCount string
	// ReturnCount is the number of return transactions.
	ReturnCount string
	// Customers is the number of customers.
	Customers string
	// VoidCount is the number of voided transactions.
	VoidCount string
	// NoSales is the number of drawer openings without a sale.
	NoSales string
	// Suspended is the number of suspended transactions.
	Suspended string
	// Payments is follows a tender's count of payments.
	Payments string
	// Tendered is the amount taken in a tender.
	Tendered string
	// StartAmount is the cash in the drawer at the start.
	StartAmount string
	// FloatEntry is cash added to the float.
	FloatEntry string
	// Income is cash paid in to an income account.
	Income string
	// Expense is cash paid out from an expense account.
	Expense string
	// TenderRemoval is cash taken out of the drawer.
	TenderRemoval string
	// SafeDrop is cash moved to the safe.
	SafeDrop string
	// BankDrop is cash taken to the bank.
	BankDrop string
	// Expected is what the drawer should hold.
	Expected string
	// Declared is what was counted.
	Declared string
	// OverShort is the difference between counted and expected.
	OverShort string
	// Accounts is the heading of the income and expense accounts.
	Accounts string
	// SalesByHour is the heading of the sales by hour.
	SalesByHour string
	// AllTenders is the heading of the totals over all tenders.
	AllTenders string
	// OverShortTotal is the difference over all tenders.
	OverShortTotal string
	// TxnNo is the caption of the signed journal entry's number (the
	// signature's transaction number).
	TxnNo string
	// SigCounter is the caption of the till's signature counter.
	SigCounter string
	// SigStart is the caption of the time the transaction started.
	SigStart string
	// SigEnd is the caption of the time the transaction ended.
	SigEnd string
	// Signature is the caption of the (shortened) signature.
	Signature string
	// JournalEntry is the caption of the journal entry a Z report closes at.
	JournalEntry string
	// OverShortApprover and OverShortReason label the manager who accepted
	// an over/short beyond the store's limit, and why.
	OverShortApprover string
	OverShortReason   string
}

// english is the default: the wording receipts have always printed.
var english = Labels{
	SalesTitle:        "SALES RECEIPT",
	ReturnTitle:       "RETURN",
	VoidTitle:         "*** VOIDED ***",
	Copy:              "*** COPY ***",
	Tel:               "Tel.",
	TaxID:             "Tax ID",
	Receipt:           "Receipt",
	Date:              "Date",
	Store:             "Store",
	Terminal:          "Terminal",
	Operator:          "Operator",
	Customer:          "Customer",
	PriceOverridden:   "Price overridden from",
	ReturnOf:          "Return of",
	Return:            "Return",
	LineDiscount:      "Line discount",
	OriginalDiscount:  "Original discount",
	TotalDiscount:     "Total discount",
	Subtotal:          "Subtotal",
	Promotions:        "Promotions",
	LineDiscounts:     "Line discounts",
	Tax:               "Tax",
	Total:             "TOTAL",
	Rounding:          "Rounding",
	AmountDue:         "Amount due",
	AuthCode:          "Auth code",
	Change:            "Change",
	TotalSavings:      "Total savings",
	TaxColumn:         "Tax",
	RateColumn:        "Rate",
	NetColumn:         "Net",
	AmountColumn:      "Amount",
	TaxTotal:          "Total",
	NoteInclusive:     "Prices include VAT",
	NoteExclusive:     "Tax is added to prices",
	Cash:              "Cash",
	VAT:               "VAT",
	XReport:           "X REPORT",
	ZReport:           "Z REPORT",
	Shift:             "Shift",
	Opened:            "Opened",
	OpenedBy:          "Opened by",
	Closed:            "Closed",
	Printed:           "Printed",
	Totals:            "TOTALS",
	Sales:             "Sales",
	Returns:           "Returns",
	NetSales:          "Net sales",
	Discounts:         "Discounts",
	IncomeAccounts:    "Income accounts",
	ExpenseAccounts:   "Expense accounts",
	Counts:            "COUNTS",
	SaleCount:         "Sales transactions",
	ReturnCount:       "Return transactions",
	Customers:         "Customers",
	VoidCount:         "Voided transactions",
	NoSales:           "No sales",
	Suspended:         "Suspended",
	Payments:          "payments",
	Tendered:          "Tendered",
	StartAmount:       "Start amount",
	FloatEntry:        "Float entry",
	Income:            "Income",
	Expense:           "Expense",
	TenderRemoval:     "Tender removal",
	SafeDrop:          "Safe drop",
	BankDrop:          "Bank drop",
	Expected:          "Expected",
	Declared:          "Declared",
	OverShort:         "Over/short",
	Accounts:          "ACCOUNTS",
	SalesByHour:       "SALES BY HOUR",
	AllTenders:        "ALL TENDERS",
	OverShortTotal:    "OVER/SHORT",
	TxnNo:             "Transaction no.",
	SigCounter:        "Signature counter",
	SigStart:          "Start",
	SigEnd:            "End",
	Signature:         "Signature",
	JournalEntry:      "Journal entry",
	OverShortApprover: "Accepted by",
	OverShortReason:   "Reason",
}

// german is the wording of German retail receipts (Kassenbon).
var german = Labels{
	SalesTitle:        "KASSENBON",
	ReturnTitle:       "RÜCKGABE",
	VoidTitle:         "*** STORNIERT ***",
	Copy:              "*** KOPIE ***",
	Tel:               "Tel.",
	TaxID:             "USt-IdNr.",
	Receipt:           "Bon-Nr.",
	Date:              "Datum",
	Store:             "Filiale",
	Terminal:          "Kasse",
	Operator:          "Kassierer",
	Customer:          "Kunde",
	PriceOverridden:   "Preis geändert, vorher",
	ReturnOf:          "Rückgabe zu Bon",
	Return:            "Rückgabe",
	LineDiscount:      "Rabatt",
	OriginalDiscount:  "Ursprünglicher Rabatt",
	TotalDiscount:     "Gesamtrabatt",
	Subtotal:          "Zwischensumme",
	Promotions:        "Aktionen",
	LineDiscounts:     "Positionsrabatte",
	Tax:               "MwSt.",
	Total:             "SUMME",
	Rounding:          "Rundung",
	AmountDue:         "Zu zahlen",
	AuthCode:          "Autorisierung",
	Change:            "Rückgeld",
	TotalSavings:      "Ihre Ersparnis",
	TaxColumn:         "MwSt.",
	RateColumn:        "Satz",
	NetColumn:         "Netto",
	AmountColumn:      "Betrag",
	TaxTotal:          "Summe",
	NoteInclusive:     "Preise inkl. MwSt.",
	NoteExclusive:     "Preise zzgl. MwSt.",
	Cash:              "Bar",
	VAT:               "MwSt.",
	XReport:           "X-BERICHT",
	ZReport:           "Z-BERICHT",
	Shift:             "Schicht",
	Opened:            "Geöffnet",
	OpenedBy:          "Geöffnet von",
	Closed:            "Geschlossen",
	Printed:           "Gedruckt",
	Totals:            "SUMMEN",
	Sales:             "Verkäufe",
	Returns:           "Rückgaben",
	NetSales:          "Nettoumsatz",
	Discounts:         "Rabatte",
	IncomeAccounts:    "Einnahmekonten",
	ExpenseAccounts:   "Ausgabekonten",
	Counts:            "ANZAHL",
	SaleCount:         "Verkaufsvorgänge",
	ReturnCount:       "Rückgabevorgänge",
	Customers:         "Kunden",
	VoidCount:         "Stornierte Vorgänge",
	NoSales:           "Schubladenöffnungen",
	Suspended:         "Geparkt",
	Payments:          "Zahlungen",
	Tendered:          "Erhalten",
	StartAmount:       "Anfangsbestand",
	FloatEntry:        "Wechselgeldeinlage",
	Income:            "Einnahme",
	Expense:           "Ausgabe",
	TenderRemoval:     "Entnahme",
	SafeDrop:          "Tresoreinlage",
	BankDrop:          "Bankeinzahlung",
	Expected:          "Soll",
	Declared:          "Gezählt",
	OverShort:         "Differenz",
	Accounts:          "KONTEN",
	SalesByHour:       "UMSATZ NACH STUNDE",
	AllTenders:        "ALLE ZAHLUNGSARTEN",
	OverShortTotal:    "DIFFERENZ",
	TxnNo:             "Transaktionsnr.",
	SigCounter:        "Signaturzähler",
	SigStart:          "Beginn",
	SigEnd:            "Ende",
	Signature:         "Signatur",
	JournalEntry:      "Journaleintrag",
	OverShortApprover: "Freigegeben von",
	OverShortReason:   "Grund",
}

// french is the wording of French retail receipts (ticket de caisse).
var french = Labels{
	SalesTitle:        "TICKET DE CAISSE",
	ReturnTitle:       "RETOUR",
	VoidTitle:         "*** ANNULÉ ***",
	Copy:              "*** DUPLICATA ***",
	Tel:               "Tél.",
	TaxID:             "N° TVA",
	Receipt:           "Ticket n°",
	Date:              "Date",
	Store:             "Magasin",
	Terminal:          "Caisse",
	Operator:          "Caissier",
	Customer:          "Client",
	PriceOverridden:   "Prix modifié, initial",
	ReturnOf:          "Retour du ticket",
	Return:            "Retour",
	LineDiscount:      "Remise",
	OriginalDiscount:  "Remise d'origine",
	TotalDiscount:     "Remise globale",
	Subtotal:          "Sous-total",
	Promotions:        "Promotions",
	LineDiscounts:     "Remises articles",
	Tax:               "TVA",
	Total:             "TOTAL",
	Rounding:          "Arrondi",
	AmountDue:         "À payer",
	AuthCode:          "Code autorisation",
	Change:            "Rendu",
	TotalSavings:      "Vos économies",
	TaxColumn:         "TVA",
	RateColumn:        "Taux",
	NetColumn:         "HT",
	AmountColumn:      "Montant",
	TaxTotal:          "Total",
	NoteInclusive:     "Prix TTC, TVA incluse",
	NoteExclusive:     "Prix HT, TVA en sus",
	Cash:              "Espèces",
	VAT:               "TVA",
	XReport:           "RAPPORT X",
	ZReport:           "RAPPORT Z",
	Shift:             "Session",
	Opened:            "Ouverture",
	OpenedBy:          "Ouvert par",
	Closed:            "Clôture",
	Printed:           "Imprimé",
	Totals:            "TOTAUX",
	Sales:             "Ventes",
	Returns:           "Retours",
	NetSales:          "Ventes nettes",
	Discounts:         "Remises",
	IncomeAccounts:    "Comptes de recettes",
	ExpenseAccounts:   "Comptes de dépenses",
	Counts:            "NOMBRES",
	SaleCount:         "Nombre de ventes",
	ReturnCount:       "Nombre de retours",
	Customers:         "Clients",
	VoidCount:         "Transactions annulées",
	NoSales:           "Ouvertures tiroir",
	Suspended:         "En attente",
	Payments:          "paiements",
	Tendered:          "Encaissé",
	StartAmount:       "Fond de caisse",
	FloatEntry:        "Apport de monnaie",
	Income:            "Recette",
	Expense:           "Dépense",
	TenderRemoval:     "Retrait",
	SafeDrop:          "Dépôt coffre",
	BankDrop:          "Dépôt banque",
	Expected:          "Attendu",
	Declared:          "Déclaré",
	OverShort:         "Écart",
	Accounts:          "COMPTES",
	SalesByHour:       "VENTES PAR HEURE",
	AllTenders:        "TOUS PAIEMENTS",
	OverShortTotal:    "ÉCART",
	TxnNo:             "N° de transaction",
	SigCounter:        "Compteur de signatures",
	SigStart:          "Début",
	SigEnd:            "Fin",
	Signature:         "Signature",
	JournalEntry:      "Entrée du journal",
	OverShortApprover: "Accepté par",
	OverShortReason:   "Motif",
}

// spanish is the wording of Spanish retail receipts (ticket).
var spanish = Labels{
	SalesTitle:        "TICKET",
	ReturnTitle:       "DEVOLUCIÓN",
	VoidTitle:         "*** ANULADO ***",
	Copy:              "*** COPIA ***",
	Tel:               "Tel.",
	TaxID:             "NIF",
	Receipt:           "N.º ticket",
	Date:              "Fecha",
	Store:             "Tienda",
	Terminal:          "Caja",
	Operator:          "Cajero",
	Customer:          "Cliente",
	PriceOverridden:   "Precio modificado, antes",
	ReturnOf:          "Devolución del ticket",
	Return:            "Devolución",
	LineDiscount:      "Descuento",
	OriginalDiscount:  "Descuento original",
	TotalDiscount:     "Descuento total",
	Subtotal:          "Subtotal",
	Promotions:        "Promociones",
	LineDiscounts:     "Descuentos de línea",
	Tax:               "IVA",
	Total:             "TOTAL",
	Rounding:          "Redondeo",
	AmountDue:         "A pagar",
	AuthCode:          "Cód. autorización",
	Change:            "Cambio",
	TotalSavings:      "Ahorro total",
	TaxColumn:         "IVA",
	RateColumn:        "Tipo",
	NetColumn:         "Base",
	AmountColumn:      "Cuota",
	TaxTotal:          "Total",
	NoteInclusive:     "IVA incluido en los precios",
	NoteExclusive:     "IVA no incluido en los precios",
	Cash:              "Efectivo",
	VAT:               "IVA",
	XReport:           "INFORME X",
	ZReport:           "INFORME Z",
	Shift:             "Turno",
	Opened:            "Apertura",
	OpenedBy:          "Abierto por",
	Closed:            "Cierre",
	Printed:           "Impreso",
	Totals:            "TOTALES",
	Sales:             "Ventas",
	Returns:           "Devoluciones",
	NetSales:          "Ventas netas",
	Discounts:         "Descuentos",
	IncomeAccounts:    "Cuentas de ingresos",
	ExpenseAccounts:   "Cuentas de gastos",
	Counts:            "RECUENTOS",
	SaleCount:         "Número de ventas",
	ReturnCount:       "Número de devoluciones",
	Customers:         "Clientes",
	VoidCount:         "Transacciones anuladas",
	NoSales:           "Aperturas de cajón",
	Suspended:         "En espera",
	Payments:          "pagos",
	Tendered:          "Cobrado",
	StartAmount:       "Fondo inicial",
	FloatEntry:        "Entrada de cambio",
	Income:            "Ingreso",
	Expense:           "Gasto",
	TenderRemoval:     "Retirada",
	SafeDrop:          "Depósito caja fuerte",
	BankDrop:          "Depósito bancario",
	Expected:          "Esperado",
	Declared:          "Declarado",
	OverShort:         "Descuadre",
	Accounts:          "CUENTAS",
	SalesByHour:       "VENTAS POR HORA",
	AllTenders:        "TODOS LOS PAGOS",
	OverShortTotal:    "DESCUADRE",
	TxnNo:             "N.º de transacción",
	SigCounter:        "Contador de firmas",
	SigStart:          "Inicio",
	SigEnd:            "Fin",
	Signature:         "Firma",
	JournalEntry:      "Entrada del diario",
	OverShortApprover: "Aceptado por",
	OverShortReason:   "Motivo",
}

var labels = map[string]*Labels{"en": &english, "de": &german, "fr": &french, "es": &spanish}

// LabelsFor returns the labels of a language given as a BCP 47 tag ("de",
// "fr-CA", "es_ES"); only the primary language subtag counts. An empty or
// unknown language gets English.
func LabelsFor(lang string) Labels {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(lang)), "-")
	base, _, _ = strings.Cut(base, "_")
	if l, ok := labels[base]; ok {
		return *l
	}
	return english
}

// Title is the heading printed for a receipt of kind k.
func (l Labels) Title(k Kind) string {
	switch k {
	case Return:
		return l.ReturnTitle
	case Void:
		return l.VoidTitle
	}
	return l.SalesTitle
}
